/*
 * exercise0/main.c - the classic first module.
 *
 * Written the way the old Linux Kernel Module Programming Guide does it:
 * init_module() and cleanup_module() are the names the kernel looks for,
 * so no module_init()/module_exit() is needed.
 */
#include <linux/module.h>	/* needed by all modules */
#include <linux/kernel.h>	/* KERN_INFO */

int init_module(void)
{
	printk(KERN_INFO "Hello World from a module\n");
	/* a non 0 return means init_module failed; module can't be loaded */
	return 0;
}

void cleanup_module(void)
{
	printk(KERN_INFO "Bye from a module\n");
}

MODULE_LICENSE("Dual MIT/GPL");
MODULE_AUTHOR("Daniel Park");
