#include <linux/kernel.h>
#include <linux/module.h>

int init_module(void)
{
	printk(KERN_INFO "Hello World from a module\n");
	return 0;
}

void cleanup_module(void)
{
	printk(KERN_INFO "Bye from a module\n");
}

MODULE_LICENSE("GPL");
