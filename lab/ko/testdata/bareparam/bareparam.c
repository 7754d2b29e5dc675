// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture: one parameter declared with module_param alone (modinfo
 * gets parmtype= and no parm=) and one with a description (both).
 */
#include <linux/module.h>
#include <linux/moduleparam.h>

static int pid;
module_param(pid, int, 0);

static char *addr;
module_param(addr, charp, 0);
MODULE_PARM_DESC(addr, "address to translate: hex");

static int __init bareparam_init(void)
{
	pr_info("bareparam: pid %d addr %s\n", pid, addr ? addr : "(none)");
	return 0;
}

static void __exit bareparam_exit(void)
{
}

module_init(bareparam_init);
module_exit(bareparam_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("parameters with and without descriptions");
