// SPDX-License-Identifier: GPL-2.0
/*
 * Part of a hostile fixture: this mapper module loads, prints nothing and
 * unloads. Its steps can only pass if someone else's records say they did.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>

static int pid;
module_param(pid, int, 0);
static unsigned long addr;
module_param(addr, ulong, 0);

static int __init quiet_init(void)
{
	return 0;
}

static void __exit quiet_exit(void)
{
}

module_init(quiet_init);
module_exit(quiet_exit);
MODULE_LICENSE("GPL");
