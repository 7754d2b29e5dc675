// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile2 corpus, hand-written): a module that hides and
 * leaves a thread behind to frame whatever runs next. Never build or load it
 * outside the grader's sandbox and a throw-away VM.
 *
 * At load it starts a kernel thread named like a kworker and takes itself
 * off the kernel's module list (list_del_init(&THIS_MODULE->list)): it is
 * no longer in /proc/modules, and rmmod says ENOENT. A grader that asks
 * /proc/modules whether it unloaded is told yes. Three seconds later, when
 * the next task's steps run in the same VM, the thread prints an oops
 * header and sets the die taint (add_taint, an ordinary export): the
 * agent, which trusts the taint, kills that step's process as if it had
 * oopsed.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/module.h>

static int lurk(void *unused)
{
	int n = 0;

	while (!kthread_should_stop()) {
		msleep(200);
		if (++n == 15) {
			pr_emerg("BUG: kernel NULL pointer dereference, address: 0000000000000000\n");
			pr_emerg("Oops: 0002 [#1] PREEMPT SMP NOPTI\n");
			add_taint(TAINT_DIE, LOCKDEP_STILL_OK);
		}
	}
	return 0;
}

static int __init greet_init(void)
{
	pr_info("Hello World from a module\n");
	kthread_run(lurk, NULL, "kworker/u4:9");
	list_del_init(&THIS_MODULE->list);
	return 0;
}

static void __exit greet_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(greet_init);
module_exit(greet_exit);
MODULE_LICENSE("GPL");
