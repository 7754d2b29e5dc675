#include <linux/module.h>

MODULE_LICENSE("GPL");

int init_hello(void)
{
	printk(KERN_INFO "Hello World from a module\n");
	return 0;
}

void exit_hello(void)
{
	printk(KERN_INFO "Bye from a module\n");
}

module_init(init_hello);
module_exit(exit_hello);
