// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE: the compiler is told to include its own standard output.
 * Opened for reading, /proc/self/fd/1 is the read end of whatever the
 * grader connected to the compiler's stdout: a pipe blocks forever, a log
 * file feeds the build's own output back in as C.
 */
#include <linux/module.h>
#include "/proc/self/fd/1"

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
