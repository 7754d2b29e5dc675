/*
 * heap.c -- v1 (lab session). Uses total_vm. See heap_v2.c.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/mm.h>

MODULE_LICENSE("GPL");

static int __init heap_init(void)
{
	struct task_struct *task;
	unsigned long max = 0;
	int max_pid = 0;

	printk(KERN_INFO "largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(task) {
		if (task->mm && task->mm->total_vm > max) {
			max = task->mm->total_vm;
			max_pid = task->pid;
		}
	}
	rcu_read_unlock();
	printk(KERN_INFO "PID: %d has max heap usage with: %lu\n", max_pid, max << PAGE_SHIFT);
	return 0;
}

static void __exit heap_exit(void)
{
	printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);
