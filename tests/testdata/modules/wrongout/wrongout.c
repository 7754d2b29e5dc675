// SPDX-License-Identifier: GPL-2.0
/* Test fixture: prints the greeting with the wrong case. */
#include <linux/module.h>
#include <linux/printk.h>


static int __init fixture_init(void)
{
	pr_info("Hello world from a module\n");
	return 0;
}

static void __exit fixture_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(fixture_init);
module_exit(fixture_exit);
MODULE_LICENSE("GPL");
