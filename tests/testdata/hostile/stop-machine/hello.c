// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE: freezes the whole guest. stop_machine() makes every CPU
 * spin with interrupts off until the function returns, and this one never
 * does: no timer, no watchdog, no agent runs again inside the guest.
 */
#include <linux/module.h>
#include <linux/stop_machine.h>

static int spin_forever(void *unused)
{
	for (;;)
		cpu_relax();
	return 0;
}

static int __init hello_init(void)
{
	pr_info("Hello World from a module\n");
	stop_machine(spin_forever, NULL, NULL);
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
