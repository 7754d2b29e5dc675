/*
 * part3: where is the kernel stack of init (pid 1)?
 * Chen W.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Chen W.");

static int __init ksp_init(void)
{
	struct task_struct *t;

	printk(KERN_INFO "ksp module loaded\n");
	rcu_read_lock();
	for_each_process(t) {
		if (t->pid == 1) {
			printk(KERN_INFO "Kernel stack of init (pid 1): 0x%lx\n",
			       (unsigned long)t->stack);
			break;
		}
	}
	rcu_read_unlock();
	return 0;
}

static void __exit ksp_exit(void)
{
	printk(KERN_INFO "ksp module removed\n");
}

module_init(ksp_init);
module_exit(ksp_exit);
