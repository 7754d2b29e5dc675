#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Marco Bianchi");

static int __init heap_init(void)
{
	struct task_struct *task;
	unsigned long max = 0;
	pid_t pid = 0;

	printk(KERN_INFO "largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(task) {
		unsigned long size = 0;

		task_lock(task);
		if (task->mm)
			size = task->mm->brk - task->mm->start_brk;
		task_unlock(task);
		if (size > max) {
			max = size;
			pid = task->pid;
		}
	}
	rcu_read_unlock();
	printk(KERN_INFO "PID: %d has max heap usage with: %lu\n", pid, max);
	return 0;
}

static void __exit heap_exit(void)
{
	printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);
