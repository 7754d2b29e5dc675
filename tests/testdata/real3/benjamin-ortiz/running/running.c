/*
 * running.c -- print every process that is running or runnable
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");

static int __init running_init(void)
{
	struct task_struct *task;

	printk(KERN_INFO "print running process kernel module loaded\n");
	printk(KERN_INFO "PID\tPROC\n");
	printk(KERN_INFO "---------------\n");
	rcu_read_lock();
	for_each_process(task) {
		if (READ_ONCE(task->__state) == TASK_RUNNING)
			printk(KERN_INFO "%d\t%s\n", task->pid, task->comm);
	}
	rcu_read_unlock();
	return 0;
}

static void __exit running_exit(void)
{
	printk(KERN_INFO "print running process kernel module unloaded\n");
}

module_init(running_init);
module_exit(running_exit);
