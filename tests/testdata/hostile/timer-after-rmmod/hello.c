// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE: a time bomb in someone else's step. The module arms a
 * timer three seconds ahead and its exit does not delete it; rmmod frees the
 * module's code and data while the timer is still queued, and when it fires
 * the kernel jumps into freed memory from a softirq, in whatever step (of
 * another task) is running then.
 */
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/timer.h>

static struct timer_list bomb;

static void bomb_fire(struct timer_list *t)
{
	pr_info("hello: timer fired\n");
}

static int __init hello_init(void)
{
	pr_info("Hello World from a module\n");
	timer_setup(&bomb, bomb_fire, 0);
	mod_timer(&bomb, jiffies + 3 * HZ);
	return 0;
}

static void __exit hello_exit(void)
{
	/* no del_timer_sync(&bomb) */
	pr_info("Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
