// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile3 corpus, hand-written): an output spray. Never
 * load it outside a throw-away VM.
 *
 * The student does not know (or care) which line belongs to which event,
 * so every step prints every line the assignment documents: the greeting
 * and the farewell at load, the farewell and the greeting at unload. A
 * checker that only asks "is the expected line among the step's lines"
 * finds each step's line, and hands out the output points for a module
 * that says goodbye when it is loaded.
 */
#include <linux/module.h>

static void say_everything(void)
{
	pr_info("Hello World from a module\n");
	pr_info("Bye from a module\n");
}

static int __init spray_init(void)
{
	say_everything();
	return 0;
}

static void __exit spray_exit(void)
{
	say_everything();
}

module_init(spray_init);
module_exit(spray_exit);
MODULE_LICENSE("GPL");
