// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture (hostile): "out dx, al" inside the constant of a movabs,
 * reached through a function pointer table in data whose entry points at
 * the constant (a relocation in .data, none in the code). Never loaded:
 * only compiled and inspected.
 */
#include <linux/module.h>
#include <linux/compiler.h>

asm(".pushsection .text, \"ax\", @progbits\n"
    ".type dt_pad, @function\n"
    "dt_pad:\n"
    "\tmovabs $0x9090909090ee90ba, %rax\n"
    "\tret\n"
    ".size dt_pad, . - dt_pad\n"
    ".popsection\n");

void dt_pad(void);

struct dt_ops {
	void (*run)(void);
};

static struct dt_ops dt_table[] = {
	{ .run = (void (*)(void))((char *)dt_pad + 3) },
};

static int __init dt_init(void)
{
	struct dt_ops *ops = dt_table;

	OPTIMIZER_HIDE_VAR(ops);
	ops->run();
	return 0;
}

static void __exit dt_exit(void)
{
}

module_init(dt_init);
module_exit(dt_exit);
MODULE_LICENSE("GPL");
