// SPDX-License-Identifier: GPL-2.0
/*
 * hostile2 corpus (hand-written): an honest hello, saved in Latin-1.
 *
 * Not an attack: a student's editor saved this file in ISO-8859-1, so the
 * greeting holds the bytes 0xFC and 0xDF ("Gr\xfc\xdf Gott" in Latin-1),
 * which are not UTF-8; and the farewell holds a carriage return in the
 * middle of its line. The module is correct.
 */
#include <linux/module.h>

static int __init greet_init(void)
{
	pr_info("Hello World from a module (Grüß Gott)\n");
	return 0;
}

static void __exit greet_exit(void)
{
	pr_info("Bye from a module\r(unloaded)\n");
}

module_init(greet_init);
module_exit(greet_exit);
MODULE_LICENSE("GPL");
