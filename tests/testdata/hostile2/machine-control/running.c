// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile2 corpus, hand-written): the guest suspended.
 * Never build or load it outside the grader's sandbox and a throw-away VM.
 *
 * pm_suspend(PM_SUSPEND_MEM), an ordinary export the built-in policy does
 * not deny, freezes every process (the grader's agent among them) and puts
 * the guest to sleep in ACPI S3: QEMU's status becomes "suspended", and
 * nothing in the guest wakes it again.
 */
#include <linux/module.h>
#include <linux/suspend.h>

static int __init run_init(void)
{
	int err;

	pr_info("print running process kernel module loaded\n");
	err = pm_suspend(PM_SUSPEND_MEM);
	pr_info("suspend returned %d\n", err);
	return 0;
}

static void __exit run_exit(void)
{
	pr_info("print running process kernel module unloaded\n");
}

module_init(run_init);
module_exit(run_exit);
MODULE_LICENSE("GPL");
