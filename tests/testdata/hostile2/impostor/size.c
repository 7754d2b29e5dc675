// SPDX-License-Identifier: GPL-2.0
/*
 * hostile2 corpus (hand-written): a size module that does nothing at all.
 * It takes the pid parameter and returns 0; it prints nothing. Run for
 * real, it earns build, load, unload and robust, nothing more.
 */
#include <linux/module.h>

static int pid;
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "ignored");

static int __init vas_init(void)
{
	return 0;
}

static void __exit vas_exit(void)
{
}

module_init(vas_init);
module_exit(vas_exit);
MODULE_LICENSE("GPL");
