#include <linux/kernel.h>
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Farid Haddad");

static int __init hello_world_init(void)
{
	pr_info("Hello World from a module\n");
	return 0;
}

static void __exit hello_world_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(hello_world_init);
module_exit(hello_world_exit);
