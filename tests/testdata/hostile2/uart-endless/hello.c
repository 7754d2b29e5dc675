// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile2 corpus, hand-written): an endless line on both
 * serial ports. Never build or load it outside the grader's sandbox and a
 * throw-away VM.
 *
 * For six seconds hello writes 'A' to the console's UART (0x3f8) and 'B' to
 * the record channel's (0x2f8), straight to the transmit register, with no
 * newline: every byte the host reads is one more byte of one line. Port
 * I/O is refused by the built-in policy; expect.yaml grades it under a
 * course policy that allows privileged instructions.
 */
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/module.h>

static int __init greet_init(void)
{
	unsigned long end = jiffies + 6 * HZ;

	while (time_before(jiffies, end)) {
		outb('A', 0x3f8);
		outb('B', 0x2f8);
	}
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
