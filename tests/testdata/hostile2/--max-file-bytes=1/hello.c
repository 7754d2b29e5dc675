// SPDX-License-Identifier: GPL-2.0
/* hostile2 corpus (hand-written): a correct hello, the control beside an attack. */
#include <linux/module.h>

static int __init greet_init(void)
{
	pr_info("Hello World from a module\n");
	return 0;
}

static void __exit greet_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(greet_init);
module_exit(greet_exit);
MODULE_LICENSE("GPL");
