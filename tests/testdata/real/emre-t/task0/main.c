#include <linux/module.h>
#include <linux/init.h>

MODULE_LICENSE("GPL");

static int __init start(void)
{
	pr_info("Hello World from a module\n");
	return 0;
}

static void __exit finish(void)
{
	pr_info("Bye from a module\n");
}

module_init(start);
module_exit(finish);
