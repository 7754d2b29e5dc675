#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

int init_module(void)
{
	struct task_struct *task;

	printk(KERN_INFO "print running process kernel module loaded\n");
	printk(KERN_INFO "PID\tPROC\n");
	printk(KERN_INFO "---------------\n");
	for_each_process(task) {
		if (task->state == TASK_RUNNING)
			printk(KERN_INFO "%d\t%s\n", task->pid, task->comm);
	}
	return 0;
}

void cleanup_module(void)
{
	printk(KERN_INFO "print running process kernel module unloaded\n");
}

MODULE_LICENSE("GPL");
