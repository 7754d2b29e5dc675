#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Marco Bianchi");

static int __init running_init(void)
{
	struct task_struct *task;

	printk(KERN_INFO "print running process kernel module loaded\n");
	printk(KERN_INFO "---------------\n");
	printk(KERN_INFO "PID\tPROC\n");
	rcu_read_lock();
	for_each_process(task)
		if (task_is_running(task))
			printk(KERN_INFO "%d\t%s\n", task->pid, task->comm);
	rcu_read_unlock();
	return 0;
}

static void __exit running_exit(void)
{
	printk(KERN_INFO "print running process kernel module unloaded\n");
}

module_init(running_init);
module_exit(running_exit);
