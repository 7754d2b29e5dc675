// SPDX-License-Identifier: GPL-2.0
/* lkm2.c - the process whose heap (brk - start_brk) is the largest. */
#include <linux/init.h>
#include <linux/mm_types.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

static int __init lkm2_init(void)
{
	struct task_struct *p;
	unsigned long best = 0;
	pid_t best_pid = 0;

	pr_info("largest heap memory lkm loaded\n");

	rcu_read_lock();
	for_each_process(p) {
		unsigned long heap = 0;

		/* task_lock keeps p->mm from going away under us */
		task_lock(p);
		if (p->mm && !(p->flags & PF_KTHREAD))
			heap = p->mm->brk - p->mm->start_brk;
		task_unlock(p);

		if (heap > best) {
			best = heap;
			best_pid = task_pid_nr(p);
		}
	}
	rcu_read_unlock();

	pr_info("PID: %d has max heap usage with: %lu\n", best_pid, best);
	return 0;
}

static void __exit lkm2_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(lkm2_init);
module_exit(lkm2_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Keiko A.");
MODULE_DESCRIPTION("Largest heap");
