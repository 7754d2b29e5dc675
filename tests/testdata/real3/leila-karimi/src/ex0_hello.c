// Exercise 0 - hello world module
// Leila Karimi

#include <linux/module.h>
#include <linux/kernel.h>

MODULE_LICENSE("GPL");

// called by insmod
static int __init ex0_init(void)
{
	printk(KERN_INFO "Hello World from a module\n");
	return 0;   // 0 = success
}

// called by rmmod
static void __exit ex0_exit(void)
{
	printk(KERN_INFO "Bye from a module\n");
}

module_init(ex0_init);
module_exit(ex0_exit);
