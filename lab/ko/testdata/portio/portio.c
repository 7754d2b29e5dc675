// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture (hostile): writes straight to the first serial port's data
 * register (0x3f8), the way a module would forge console output.
 */
#include <linux/io.h>
#include <linux/module.h>

static int __init portio_init(void)
{
	outb('X', 0x3f8);
	return 0;
}

static void __exit portio_exit(void)
{
}

module_init(portio_init);
module_exit(portio_exit);
MODULE_LICENSE("GPL");
