// SPDX-License-Identifier: GPL-2.0
/* Test fixture: init freezes the whole machine (every CPU spins with
 * interrupts off), so the guest agent can never answer. */
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/stop_machine.h>

static int spin(void *unused)
{
	for (;;)
		cpu_relax();
	return 0;
}

static int __init fixture_init(void)
{
	pr_info("freeze: stopping every CPU\n");
	return stop_machine(spin, NULL, NULL);
}

static void __exit fixture_exit(void)
{
}

module_init(fixture_init);
module_exit(fixture_exit);
MODULE_LICENSE("GPL");
