// SPDX-License-Identifier: GPL-2.0
/*
 * A module with a local variable worth looking at: lkmlab debug's test
 * (tests/debug_test.go) stops gdb in answer_init, steps over the
 * assignment and prints answer.
 */
#include <linux/init.h>
#include <linux/module.h>

static int __init answer_init(void)
{
	volatile int answer = 6 * 7;

	pr_info("answer: %d\n", answer);
	return 0;
}

static void __exit answer_exit(void)
{
	pr_info("answer: bye\n");
}

module_init(answer_init);
module_exit(answer_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A local variable for gdb to print");
