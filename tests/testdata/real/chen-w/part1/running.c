/*
 * part1: list the processes that are running or runnable (TASK_RUNNING)
 * Chen W.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Chen W.");

static int __init running_init(void)
{
	struct task_struct *t;
	int count = 0;

	printk(KERN_INFO "***** Running/Runnable processes *****\n");
	printk(KERN_INFO "%-8s %s\n", "PID", "COMMAND");
	rcu_read_lock();
	for_each_process(t) {
		if (t->__state == TASK_RUNNING) {
			printk(KERN_INFO "%-8d %s\n", t->pid, t->comm);
			count++;
		}
	}
	rcu_read_unlock();
	printk(KERN_INFO "Total: %d\n", count);
	printk(KERN_INFO "**************************************\n");
	return 0;
}

static void __exit running_exit(void)
{
	printk(KERN_INFO "running process module removed\n");
}

module_init(running_init);
module_exit(running_exit);
