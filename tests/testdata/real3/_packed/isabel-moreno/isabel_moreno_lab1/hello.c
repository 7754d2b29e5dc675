#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Isabel Moreno");

static int __init hello_start(void)
{
	printk(KERN_INFO "Hello World from a module\n");
	return 0;
}

static void __exit hello_end(void)
{
	printk(KERN_INFO "Bye from a module\n");
}

module_init(hello_start);
module_exit(hello_end);
