#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

MODULE_LICENSE("GPL v2");
MODULE_AUTHOR("Aisha Bello");
MODULE_DESCRIPTION("hello world module");

static int __init hello_init(void)
{
	/* KERN_EMERG so it also shows on the console while I test in the VM */
	printk(KERN_EMERG "Hello World from a module\n");
	return 0;
}

static void __exit hello_exit(void)
{
	printk(KERN_EMERG "Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
