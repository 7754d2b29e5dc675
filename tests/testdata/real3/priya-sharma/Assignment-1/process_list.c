#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Priya Sharma");

static int __init process_list_init(void)
{
	struct task_struct *task;

	printk(KERN_INFO "print running process kernel module loaded\n");
	printk(KERN_INFO "PROC\t\tPID\n");
	printk(KERN_INFO "---------------\n");
	rcu_read_lock();
	for_each_process(task) {
		if (task->__state == TASK_RUNNING)
			printk(KERN_INFO "%-16s%d\n", task->comm, task->pid);
	}
	rcu_read_unlock();
	return 0;
}

static void __exit process_list_exit(void)
{
	printk(KERN_INFO "print running process kernel module unloaded\n");
}

module_init(process_list_init);
module_exit(process_list_exit);
