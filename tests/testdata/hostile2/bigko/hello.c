// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile2 corpus, hand-written): a legal but heavy module.
 * Never build or load it outside the grader's sandbox and a throw-away VM.
 *
 * A correct hello with 50 MB of initialised read-only data, made by the
 * assembler (.fill), so the C file is tiny, the compiler's .s is tiny and
 * no file of the build comes near the sandbox's 64 MiB file-size limit.
 * The module is allocated and loaded like any other; what breaks is the
 * way to the guest: the grader sends a restored guest its modules over the
 * emulated serial line, about 40 KB/s under TCG here, and a request of
 * 67 MB (base64) is past the agent's own 64 MiB request limit anyway.
 */
#include <linux/module.h>

asm(".section .rodata.ballast,\"a\"\n"
    ".globl hello_ballast\n"
    "hello_ballast:\n"
    ".fill 50000000,1,0x41\n"
    ".previous\n");
extern const char hello_ballast[];

static int __init greet_init(void)
{
	pr_info("Hello World from a module (%c)\n", hello_ballast[4096]);
	return 0;
}

static void __exit greet_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(greet_init);
module_exit(greet_exit);
MODULE_LICENSE("GPL");
