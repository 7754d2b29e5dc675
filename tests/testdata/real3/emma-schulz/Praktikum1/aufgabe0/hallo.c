// SPDX-License-Identifier: Dual BSD/GPL
/*
 * hallo.c – Aufgabe 0: gibt beim Laden „Hello World“ und beim Entfernen
 * „Tschüss“ aus.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

MODULE_LICENSE("Dual BSD/GPL");
MODULE_AUTHOR("Emma Schulz");

static int __init hallo_init(void)
{
	pr_info("Hello World from a module\n");
	return 0;
}

static void __exit hallo_exit(void)
{
	pr_info("Tschüss – bye from a module\n");
}

module_init(hallo_init);
module_exit(hallo_exit);
