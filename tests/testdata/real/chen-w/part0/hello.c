/*
 * part0: hello world
 * Chen W.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Chen W.");

static int __init hello_init(void)
{
	printk(KERN_INFO "=============================\n");
	printk(KERN_INFO "Hello World from a module\n");
	printk(KERN_INFO "=============================\n");
	return 0;
}

static void __exit hello_exit(void)
{
	printk(KERN_INFO "Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
