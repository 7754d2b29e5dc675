/*
 * exercise1/main.c - processes that are running or runnable.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

int init_module(void)
{
	struct task_struct *task;

	printk(KERN_INFO "print running process kernel module loaded\n");
	printk(KERN_INFO "PID\tPROC\n");
	printk(KERN_INFO "---------------\n");

	rcu_read_lock();
	for_each_process(task) {
		if (task_is_running(task))
			printk(KERN_INFO "%d\t%s\n", task->pid, task->comm);
	}
	rcu_read_unlock();
	return 0;
}

void cleanup_module(void)
{
	printk(KERN_INFO "print running process kernel module unloaded\n");
}

MODULE_LICENSE("Dual MIT/GPL");
MODULE_AUTHOR("Daniel Park");
