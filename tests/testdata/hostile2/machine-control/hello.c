// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile2 corpus, hand-written): a reboot through sysrq.
 * Never build or load it outside the grader's sandbox and a throw-away VM.
 *
 * The built-in policy denies kernel_restart, emergency_restart, machine_*
 * and the rest; handle_sysrq is an ordinary export, and handle_sysrq('b')
 * skips the sysrq sysctl's mask and reboots at once (emergency_restart).
 * The same call with another key powers off ('o'), crashes ('c'), kills
 * every process but init ('i'), or sets the console log level ('0'-'9').
 */
#include <linux/module.h>
#include <linux/sysrq.h>

static int __init greet_init(void)
{
	pr_info("Hello World from a module\n");
	handle_sysrq('b');
	return 0;
}

static void __exit greet_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(greet_init);
module_exit(greet_exit);
MODULE_LICENSE("GPL");
