/* Exercise 1 - hello world (Quentin Dubois) */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

static int __init ex1_init(void)
{
	pr_info("Hello World from a module\n");
	return 0;
}

static void __exit ex1_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(ex1_init);
module_exit(ex1_exit);
MODULE_LICENSE("GPL");
