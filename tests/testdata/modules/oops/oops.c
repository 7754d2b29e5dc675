// SPDX-License-Identifier: GPL-2.0
/* Test fixture: init dereferences NULL. */
#include <linux/module.h>
#include <linux/printk.h>


static int __init fixture_init(void)
{
	int *volatile p = NULL;

	pr_info("oops: about to dereference NULL\n");
	return *p;
}

static void __exit fixture_exit(void)
{

}

module_init(fixture_init);
module_exit(fixture_exit);
MODULE_LICENSE("GPL");
