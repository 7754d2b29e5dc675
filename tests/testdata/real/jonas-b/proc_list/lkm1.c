#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Jonas B.");

static int __init lkm1_init(void)
{
	struct task_struct *task;

	printk(KERN_INFO "print running process kernel module loaded\n");
	printk(KERN_INFO "PID\tPROC\n");
	printk(KERN_INFO "---------------\n");
	for_each_process(task) {
		if (task_is_running(task))
			printk(KERN_INFO "%d\t%s\n", task->pid, task->comm);
	}
	return 0;
}

static void __exit lkm1_exit(void)
{
	printk(KERN_INFO "print running process kernel module unloaded\n");
}

module_init(lkm1_init);
module_exit(lkm1_exit);
