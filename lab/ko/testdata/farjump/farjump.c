// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture (hostile, after tests/testdata/hostile3/far-jump): a
 * direct jump into the constant of a movabs in another section. In the
 * .ko the jump's displacement is zero; a relocation holds the target.
 * Never loaded: only compiled and inspected.
 */
#include <linux/module.h>

asm(".pushsection .text.unlikely.fj, \"ax\", @progbits\n"
    ".type fj_cover, @function\n"
    "fj_cover:\n"
    "\tmovabs $0x90909090fdebf4fa, %rax\n"
    "\tret\n"
    ".size fj_cover, . - fj_cover\n"
    ".popsection\n"
    ".pushsection .text, \"ax\", @progbits\n"
    ".type fj_hop, @function\n"
    "fj_hop:\n"
    "\tjmp fj_cover + 2\n"
    ".size fj_hop, . - fj_hop\n"
    ".popsection\n");

void fj_hop(void);

static int __init fj_init(void)
{
	fj_hop();
	return 0;
}

static void __exit fj_exit(void)
{
}

module_init(fj_init);
module_exit(fj_exit);
MODULE_LICENSE("GPL");
