// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture (hostile): the file holds eight zero bytes of code; a
 * relocation against symbol 0 (an absolute value, its addend) makes the
 * loader write "cli; hlt; jmp" over them. The code in the file is not the
 * code that runs. Never loaded: only compiled and inspected.
 */
#include <linux/module.h>

static int __init ap_init(void)
{
	asm volatile("jmp 2f\n\t"
		     "1: .quad 0\n\t"
		     ".reloc 1b, R_X86_64_64, 0x90909090fdebf4fa\n\t"
		     "2:\n\t" ::: "memory");
	return 0;
}

static void __exit ap_exit(void)
{
}

module_init(ap_init);
module_exit(ap_exit);
MODULE_LICENSE("GPL");
