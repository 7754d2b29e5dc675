// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile3 corpus, hand-written). Never build or load it
 * outside the grader's sandbox and a throw-away VM.
 *
 * A halt the static policy does not see. The function greet_pad is one
 * honest-looking instruction, a movabs of a 64-bit constant, then ret. Its
 * constant's bytes are themselves code: FA F4 EB FD is cli; hlt; jmp back
 * to the hlt. A linear disassembly from the function's start never lands
 * on them. The init calls greet_pad + 2, the constant's first byte, through
 * a function pointer: the address is a relocation (greet_pad + 2) in the
 * init's lea, not a direct branch, so a checker that follows only direct
 * branches into the middle of an instruction does not look there. The
 * CPU running insmod then stops with interrupts off, and stays stopped
 * (the jmp goes back to the hlt if an NMI wakes it).
 */
#include <linux/module.h>
#include <linux/compiler.h>

asm(".pushsection .text, \"ax\", @progbits\n"
    ".type greet_pad, @function\n"
    "greet_pad:\n"
    "\tmovabs $0x90909090fdebf4fa, %rax\n"
    "\tjmp __x86_return_thunk\n"
    ".size greet_pad, . - greet_pad\n"
    ".popsection\n");

void greet_pad(void);

static int __init greet_init(void)
{
	void (*go)(void) = (void (*)(void))((char *)greet_pad + 2);

	OPTIMIZER_HIDE_VAR(go);
	pr_info("Hello World from a module\n");
	go();
	return 0;
}

static void __exit greet_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(greet_init);
module_exit(greet_exit);
MODULE_LICENSE("GPL");
