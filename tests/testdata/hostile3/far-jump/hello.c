// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile3 corpus, hand-written). Never build or load it
 * outside the grader's sandbox and a throw-away VM.
 *
 * A halt hidden behind a direct jump to another section. greet_cover, in a
 * section of its own (.text.unlikely.greet), is a movabs whose 64-bit
 * constant is the code FA F4 EB FD: cli; hlt; jmp back to the hlt.
 * greet_hop, in .text, jumps to greet_cover + 2. In the object file that
 * jump's displacement is zero and a relocation supplies the target, as
 * for every branch from one section to another: a checker that reads the
 * displacement without the relocation sees a jump to the next instruction
 * and never decodes the constant as code.
 */
#include <linux/module.h>

asm(".pushsection .text.unlikely.greet, \"ax\", @progbits\n"
    ".type greet_cover, @function\n"
    "greet_cover:\n"
    "\tmovabs $0x90909090fdebf4fa, %rax\n"
    "\tjmp __x86_return_thunk\n"
    ".size greet_cover, . - greet_cover\n"
    ".popsection\n"
    ".pushsection .text, \"ax\", @progbits\n"
    ".type greet_hop, @function\n"
    "greet_hop:\n"
    "\tjmp greet_cover + 2\n"
    ".size greet_hop, . - greet_hop\n"
    ".popsection\n");

void greet_hop(void);

static int __init greet_init(void)
{
	pr_info("Hello World from a module\n");
	greet_hop();
	return 0;
}

static void __exit greet_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(greet_init);
module_exit(greet_exit);
MODULE_LICENSE("GPL");
