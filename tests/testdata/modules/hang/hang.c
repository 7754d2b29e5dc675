// SPDX-License-Identifier: GPL-2.0
/* Test fixture: init never returns. */
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/delay.h>

static int __init fixture_init(void)
{
	pr_info("hang: sleeping forever\n");
	for (;;)
		msleep(1000);
	return 0;
}

static void __exit fixture_exit(void)
{

}

module_init(fixture_init);
module_exit(fixture_exit);
MODULE_LICENSE("GPL");
