// SPDX-License-Identifier: GPL-2.0
/* Test fixture: init fails with -ENOMEM. */
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/errno.h>

static int __init fixture_init(void)
{
	pr_info("enomem: giving up\n");
	return -ENOMEM;
}

static void __exit fixture_exit(void)
{

}

module_init(fixture_init);
module_exit(fixture_exit);
MODULE_LICENSE("GPL");
