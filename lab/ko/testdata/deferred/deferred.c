// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture (legitimate): starts a timer, a work item and a kernel
 * thread, and stops each at unload. Uses() lists them; no violation.
 */
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

static struct timer_list deferred_timer;
static struct work_struct deferred_work;
static struct task_struct *deferred_thread;

static void deferred_tick(struct timer_list *t)
{
	pr_info("deferred: tick\n");
}

static void deferred_job(struct work_struct *w)
{
	pr_info("deferred: work\n");
}

static int deferred_loop(void *unused)
{
	while (!kthread_should_stop())
		msleep(100);
	return 0;
}

static int __init deferred_init(void)
{
	timer_setup(&deferred_timer, deferred_tick, 0);
	mod_timer(&deferred_timer, jiffies + HZ);
	INIT_WORK(&deferred_work, deferred_job);
	schedule_work(&deferred_work);
	deferred_thread = kthread_run(deferred_loop, NULL, "deferred");
	if (IS_ERR(deferred_thread))
		deferred_thread = NULL;
	return 0;
}

static void __exit deferred_exit(void)
{
	if (deferred_thread)
		kthread_stop(deferred_thread);
	cancel_work_sync(&deferred_work);
	del_timer_sync(&deferred_timer);
}

module_init(deferred_init);
module_exit(deferred_exit);
MODULE_LICENSE("GPL");
