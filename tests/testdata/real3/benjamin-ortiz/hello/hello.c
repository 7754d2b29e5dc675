/*
 * hello.c -- the classic.
 * Written the way the K&R book writes main().
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>

MODULE_LICENSE("GPL");

static int __init hello_init()
{
	printk(KERN_INFO "Hello World from a module\n");
	return 0;
}

static void __exit hello_exit()
{
	printk(KERN_INFO "Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
