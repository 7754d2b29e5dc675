// SPDX-License-Identifier: GPL-2.0
/* mymodule.c - prints a greeting on load and a farewell on unload. */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

static int __init mymodule_init(void)
{
	pr_info("Hello World from a module\n");
	return 0;
}

static void __exit mymodule_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(mymodule_init);
module_exit(mymodule_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Keiko A.");
MODULE_DESCRIPTION("Hello world module");
