// SPDX-License-Identifier: GPL-2.0
/* Test fixture: init panics the kernel. */
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/kernel.h> /* panic(); <linux/panic.h> from 6.x */

static int __init fixture_init(void)
{
	pr_info("panic: bringing the kernel down\n");
	panic("lkmlab fixture panic");
	return 0;
}

static void __exit fixture_exit(void)
{

}

module_init(fixture_init);
module_exit(fixture_exit);
MODULE_LICENSE("GPL");
