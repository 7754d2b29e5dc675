// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE: halts the guest from inside insmod. kernel_halt() stops
 * every CPU but does not power the machine off, so QEMU keeps running a
 * guest that will never say anything again.
 */
#include <linux/module.h>
#include <linux/reboot.h>

static int __init hello_init(void)
{
	pr_info("Hello World from a module\n");
	kernel_halt();
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
