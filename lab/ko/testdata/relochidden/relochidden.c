// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture (hostile, after tests/testdata/hostile3/reloc-hidden): a
 * halt inside the constant of a movabs, called through a pointer to the
 * constant (a relocation, no branch instruction names it). Never loaded:
 * only compiled and inspected.
 */
#include <linux/module.h>
#include <linux/compiler.h>

asm(".pushsection .text, \"ax\", @progbits\n"
    ".type rh_pad, @function\n"
    "rh_pad:\n"
    "\tmovabs $0x90909090fdebf4fa, %rax\n"
    "\tret\n"
    ".size rh_pad, . - rh_pad\n"
    ".popsection\n");

void rh_pad(void);

static int __init rh_init(void)
{
	void (*fn)(void) = (void (*)(void))((char *)rh_pad + 2);

	OPTIMIZER_HIDE_VAR(fn);
	fn();
	return 0;
}

static void __exit rh_exit(void)
{
}

module_init(rh_init);
module_exit(rh_exit);
MODULE_LICENSE("GPL");
