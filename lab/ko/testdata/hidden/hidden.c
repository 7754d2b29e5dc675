// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture (hostile): hides "out dx, al" inside the immediate of a
 * "mov ax, imm16" and jumps into it, so a plain linear disassembly shows a
 * harmless mov. Never loaded: only compiled and inspected.
 */
#include <linux/module.h>

static int __init hidden_init(void)
{
	asm volatile("mov $0x3f8, %%edx\n\t"
		     "mov $0x58, %%eax\n\t"
		     "jmp 1f+2\n\t"
		     "1: .byte 0x66, 0xb8, 0xee, 0x90\n\t"
		     : : : "eax", "edx", "memory");
	return 0;
}

static void __exit hidden_exit(void)
{
}

module_init(hidden_init);
module_exit(hidden_exit);
MODULE_LICENSE("GPL");
