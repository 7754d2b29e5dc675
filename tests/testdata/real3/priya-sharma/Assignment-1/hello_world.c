#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Priya Sharma");

static int __init hello_world_init(void)
{
	printk(KERN_INFO "Hello World from a module\n");
	return 0;
}

static void __exit hello_world_exit(void)
{
	printk(KERN_INFO "Bye from a module\n");
}

module_init(hello_world_init);
module_exit(hello_world_exit);
