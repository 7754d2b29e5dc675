// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE: a 96 MiB module. The initialised array goes into the
 * object file byte for byte, so the build writes ~100 MB per file, and a
 * grader that lets it through then copies it into every initramfs, or over
 * the serial channel to a restored guest.
 */
#include <linux/module.h>

static const char blob[96 << 20] __used = { 1 };

static int __init hello_init(void)
{
	pr_info("Hello World from a module\n");
	return blob[0] == 1 ? 0 : -EINVAL;
}

static void __exit hello_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
