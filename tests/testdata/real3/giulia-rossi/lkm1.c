#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");

static int __init lkm1_init(void)
{
	struct task_struct *p;

	printk(KERN_INFO "print running process kernel module loaded\n");
	printk(KERN_INFO "PID\tPROC\n");
	printk(KERN_INFO "---------------\n");
	rcu_read_lock();
	for_each_process(p) {
		/* running o runnable: stato TASK_RUNNING */
		if (task_is_running(p))
			printk(KERN_INFO "%d\t%s\n", p->pid, p->comm);
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
