// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture of the hostile3 corpus (hand-written): not an attack on the
 * grader but on its judgement, written as students do write it.
 *
 * The init returns 1 where it means success. The kernel loads the module
 * anyway and warns: "'hello'->init suspiciously returned 1, it should
 * follow 0/-E convention", followed by a full stack dump (CPU, hardware
 * name, Call Trace with the module's frames), the same shape as the
 * start of an oops, printed by the kernel itself and at error level, but
 * with no taint set. The module is loaded and works; its greeting and its
 * farewell are on their steps.
 */
#include <linux/module.h>

static int __init greet_init(void)
{
	pr_info("Hello World from a module\n");
	return 1;
}

static void __exit greet_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(greet_init);
module_exit(greet_exit);
MODULE_LICENSE("GPL");
