// SPDX-License-Identifier: GPL-2.0
/*
 * Control file of the hostile3 corpus (hand-written): an honest hello
 * module beside the attack, so that the grade shows the attack costs its
 * own task and no other.
 */
#include <linux/module.h>

static int __init greeting_init(void)
{
	pr_info("Hello World from a module\n");
	return 0;
}

static void __exit greeting_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(greeting_init);
module_exit(greeting_exit);
MODULE_LICENSE("GPL");
