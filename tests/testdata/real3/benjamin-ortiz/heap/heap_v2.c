/*
 * heap_v2.c -- final version: heap = brk - start_brk.
 * Kernel threads have no mm, skip them. task_lock keeps mm from
 * going away while we read it.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/mm.h>

MODULE_LICENSE("GPL");

static int __init heap_v2_init(void)
{
	struct task_struct *task;
	unsigned long max = 0;
	int max_pid = 0;

	printk(KERN_INFO "largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(task) {
		unsigned long heap = 0;

		task_lock(task);
		if (task->mm)
			heap = task->mm->brk - task->mm->start_brk;
		task_unlock(task);
		if (heap > max) {
			max = heap;
			max_pid = task->pid;
		}
	}
	rcu_read_unlock();
	printk(KERN_INFO "PID: %d has max heap usage with: %lu\n", max_pid, max);
	return 0;
}

static void __exit heap_v2_exit(void)
{
	printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

module_init(heap_v2_init);
module_exit(heap_v2_exit);
