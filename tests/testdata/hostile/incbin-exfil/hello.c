// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE: the assembler, not the preprocessor, reads a host file.
 * .incbin copies /etc/passwd of the machine that builds the module into the
 * module's data; the module then prints it, and the grader's report carries
 * the host's file back to the student.
 */
#include <linux/module.h>
#include <linux/string.h>

asm(".pushsection .rodata\n"
    ".global hello_loot\n"
    "hello_loot:\n"
    ".incbin \"/etc/passwd\"\n"
    ".byte 0\n"
    ".popsection\n");
extern const char hello_loot[];

static int __init hello_init(void)
{
	const char *p = hello_loot;

	pr_info("Hello World from a module\n");
	while (*p) {
		const char *nl = strchrnul(p, '\n');

		pr_info("%.*s\n", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
