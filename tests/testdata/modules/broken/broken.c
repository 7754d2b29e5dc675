// SPDX-License-Identifier: GPL-2.0
/* Test fixture: does not compile (undeclared identifier). */
#include <linux/module.h>
#include <linux/printk.h>


static int __init fixture_init(void)
{
	pr_info("never built\n");
	return undeclared_variable;
}

static void __exit fixture_exit(void)
{

}

module_init(fixture_init);
module_exit(fixture_exit);
MODULE_LICENSE("GPL");
