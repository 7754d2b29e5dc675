#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Mei Chen");

static int __init lkm1_init(void)
{
	struct task_struct *task;

	/* the banner and the table header in one go */
	printk(KERN_INFO "print running process kernel module loaded\nPID\tPROC\n---------------\n");
	rcu_read_lock();
	for_each_process(task) {
		if (!task_is_running(task))
			continue;
		printk(KERN_INFO "%d", task->pid);
		printk(KERN_CONT "\t%s\n", task->comm);
	}
	rcu_read_unlock();
	return 0;
}

static void __exit lkm1_exit(void)
{
	printk(KERN_INFO "print running process kernel module unloaded\n");
}

module_init(lkm1_init);
module_exit(lkm1_exit);
