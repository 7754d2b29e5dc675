// SPDX-License-Identifier: GPL-2.0
/*
 * greeter: an example module that lives outside lkmlab's modules/ folder.
 * It greets whoever its "name" parameter names.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

static char *name = "world";
module_param(name, charp, 0444);
MODULE_PARM_DESC(name, "who to greet");

static int __init greeter_init(void)
{
	pr_info("Hello, %s!\n", name);
	return 0;
}

static void __exit greeter_exit(void)
{
	pr_info("Goodbye, %s!\n", name);
}

module_init(greeter_init);
module_exit(greeter_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Greets someone, to show lkmlab's Go API");
