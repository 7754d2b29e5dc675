#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>

MODULE_LICENSE("GPL");

static int __init lkm1_init(void)
{
	printk(KERN_INFO "print running process kernel module loaded\n");
	printk(KERN_INFO "PID\tPROC\n");
	printk(KERN_INFO "---------------\n");
	printk(KERN_INFO "349110\tinsmod\n");
	return 0;
}

static void __exit lkm1_exit(void)
{
	printk(KERN_INFO "print running process kernel module unloaded\n");
}

module_init(lkm1_init);
module_exit(lkm1_exit);
