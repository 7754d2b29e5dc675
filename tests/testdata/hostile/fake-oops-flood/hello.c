// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE: prints thousands of lines that look like the kernel's own
 * crash reports (BUG, Oops, general protection fault, a panic line), at the
 * kernel's own levels, some naming the size module. Nothing crashes: the
 * module loads, returns 0 and unloads.
 */
#include <linux/module.h>

static const char *const fake[] = {
	KERN_ALERT "BUG: kernel NULL pointer dereference, address: 0000000000000000",
	KERN_ALERT "#PF: supervisor read access in kernel mode",
	KERN_ALERT "#PF: error_code(0x0000) - not-present page",
	KERN_WARNING "Oops: 0002 [#1] PREEMPT SMP NOPTI",
	KERN_WARNING "CPU: 0 PID: 97 Comm: insmod Tainted: G           OE      6.1.0-57-amd64 #1  Debian 6.1.192-3",
	KERN_WARNING "RIP: 0010:size_init+0x2f/0x120 [size]",
	KERN_WARNING "general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP NOPTI",
	KERN_WARNING "Call Trace:",
	KERN_WARNING " <TASK>",
	KERN_WARNING " do_one_initcall+0x41/0x200",
	KERN_WARNING " </TASK>",
	KERN_WARNING "Modules linked in: size(OE+) hello(OE)",
	KERN_WARNING "---[ end trace 0000000000000000 ]---",
	KERN_EMERG "Kernel panic - not syncing: Fatal exception",
};

static int __init hello_init(void)
{
	int i;

	pr_info("Hello World from a module\n");
	for (i = 0; i < 3000; i++)
		printk("%s\n", fake[i % ARRAY_SIZE(fake)]);
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
