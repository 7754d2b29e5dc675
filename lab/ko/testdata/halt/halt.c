// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture (hostile): halts the CPU from its exit function, so the
 * instruction sits in .exit.text.
 */
#include <linux/module.h>

static int __init halt_init(void)
{
	return 0;
}

static void __exit halt_exit(void)
{
	asm volatile("hlt");
}

module_init(halt_init);
module_exit(halt_exit);
MODULE_LICENSE("GPL");
