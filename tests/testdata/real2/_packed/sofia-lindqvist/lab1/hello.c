// SPDX-License-Identifier: GPL-2.0
/* hello.c - Sofia Lindqvist, lab 1 */
#include <linux/module.h>

static int __init hello_init(void)
{
	pr_info("Hello World from a module\n");
	return 0;
}
module_init(hello_init);

static void __exit hello_exit(void)
{
	pr_info("Bye from a module\n");
}
module_exit(hello_exit);

MODULE_LICENSE("GPL");
