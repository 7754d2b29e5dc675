#include <linux/module.h>
#include <linux/init.h>

static int __init hello_init(void)
{
	pr_alert("Hello World from a module\n");
	return 0;
}

static void __exit hello_exit(void)
{
	pr_alert("Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
