// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile3 corpus, hand-written). Never load it outside a
 * throw-away VM.
 *
 * The load is honest; the unload never ends. The exit prints its farewell
 * and then sleeps in uninterruptible state forever (msleep), so rmmod is
 * a process in D state that no signal ends: the agent cannot kill it, the
 * module is stuck "Unloading" in /proc/modules with its code still
 * mapped, and delete_module holds nothing the agent needs (no lock is
 * kept across the exit), so the rest of the guest keeps running.
 *
 * The unload printed its line: a grader that reads the step's output
 * before its outcome, or that treats a step it had to give up on as a
 * guest hiccup and moves on in the same VM, is misled.
 */
#include <linux/module.h>
#include <linux/delay.h>

static int __init stuck_init(void)
{
	pr_info("Hello World from a module\n");
	return 0;
}

static void __exit stuck_exit(void)
{
	pr_info("Bye from a module\n");
	for (;;)
		msleep(60 * 1000);
}

module_init(stuck_init);
module_exit(stuck_exit);
MODULE_LICENSE("GPL");
