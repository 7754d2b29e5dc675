// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE: writes the record marker "@@lkmlab " with no newline to
 * the record channel (/dev/ttyS1) and to the kernel log. The agent's next
 * genuine record is glued behind it on the same line:
 * "@@lkmlab @@lkmlab <nonce> {...}". A reader that takes the first marker of
 * a line loses that record, and with it the step's result.
 */
#include <linux/fs.h>
#include <linux/module.h>

static const char marker[] = "@@lkmlab ";

static int __init hello_init(void)
{
	struct file *f;
	loff_t pos = 0;

	pr_info("Hello World from a module\n");
	f = filp_open("/dev/ttyS1", O_WRONLY | O_NOCTTY, 0);
	if (!IS_ERR(f)) {
		kernel_write(f, marker, sizeof(marker) - 1, &pos);
		filp_close(f, NULL);
	}
	printk(KERN_INFO "%s", marker);
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
