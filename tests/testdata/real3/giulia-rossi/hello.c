#include <linux/module.h>
#include <linux/kernel.h>

MODULE_LICENSE("GPL");

static int __init ciao_init(void)
{
	printk(KERN_INFO "Hello World from a module\n");
	return 0;
}

static void __exit ciao_exit(void)
{
	printk(KERN_INFO "Bye from a module\n");
}

module_init(ciao_init);
module_exit(ciao_exit);
