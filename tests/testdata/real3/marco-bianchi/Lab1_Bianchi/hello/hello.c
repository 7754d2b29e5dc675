#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Marco Bianchi");

static int __init hello_init(void)
{
	printk(KERN_INFO "Hello World from a module\n");
	return 0;
}

static void __exit hello_exit(void)
{
	printk(KERN_INFO "Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
