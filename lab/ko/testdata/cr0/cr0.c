// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture (hostile): clears CR0.WP, the first step of patching
 * read-only kernel memory. Never loaded: only compiled and inspected.
 */
#include <linux/module.h>

static int __init cr0_init(void)
{
	unsigned long cr0;

	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 &= ~(1UL << 16);
	asm volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
	return 0;
}

static void __exit cr0_exit(void)
{
}

module_init(cr0_init);
module_exit(cr0_exit);
MODULE_LICENSE("GPL");
