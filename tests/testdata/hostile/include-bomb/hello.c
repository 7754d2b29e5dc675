// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE: a preprocessor bomb. The file includes itself twice at
 * every level, 40 levels deep: 2^40 inclusions, each cheap, none ending.
 * The compiler runs until a CPU, memory or wall-clock limit stops it.
 */
#ifndef HELLO_BODY
#define HELLO_BODY
#include <linux/module.h>

static int __init hello_init(void)
{
	pr_info("Hello World from a module\n");
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
#endif

#if __INCLUDE_LEVEL__ < 40
#include __FILE__
#include __FILE__
#endif
