// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile3 corpus, hand-written). Never load it outside a
 * throw-away VM.
 *
 * The pid parameter is declared with module_param_cb and given the type
 * "int" by hand, so it reads like any int parameter (parmtype=pid:int in
 * .modinfo; lkmlab passes the pid to it). Its set operation runs inside
 * insmod, after the module is on the module list as "Loading" and before
 * its init: it stores the value, then sleeps for ever in uninterruptible
 * state. insmod never returns and cannot be killed; the module stays
 * "Loading" and holds its name, so every later insmod of "size" in that
 * guest waits for it, and an rmmod refuses a module that is not live.
 * Each later step run in the same guest costs its whole timeout.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/delay.h>

static int pid;

static int pid_set(const char *val, const struct kernel_param *kp)
{
	int err = param_set_int(val, kp);

	if (err)
		return err;
	for (;;)
		msleep(60 * 1000);
	return 0;
}

static const struct kernel_param_ops pid_ops = {
	.set = pid_set,
	.get = param_get_int,
};

module_param_cb(pid, &pid_ops, &pid, 0444);
__MODULE_PARM_TYPE(pid, "int");
MODULE_PARM_DESC(pid, "the process whose sizes are printed");

static int __init vas_init(void)
{
	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	return 0;
}

static void __exit vas_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(vas_init);
module_exit(vas_exit);
MODULE_LICENSE("GPL");
