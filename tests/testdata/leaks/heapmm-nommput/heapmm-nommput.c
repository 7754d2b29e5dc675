// SPDX-License-Identifier: GPL-2.0
/* Negative test variant of testdata/leaks/heapmm: forgets mmput(), leaking address spaces. */
/*
 * heapmm: the seed's heap module written the other common way, taking a
 * reference on each process's address space with get_task_mm() and
 * dropping it with mmput(). The debug-profile tests use it as the correct
 * case; heapmm-nommput forgets the mmput(), and kmemleak must see the
 * address spaces of every process that exits after it ran.
 */
#include <linux/init.h>
#include <linux/mm_types.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#define MAX_TASKS 1024

static int __init heapmm_init(void)
{
	struct task_struct **tasks, *p;
	unsigned long max_heap = 0;
	pid_t max_pid = 0;
	int n = 0, i;

	pr_info("largest heap memory lkm loaded\n");

	tasks = kcalloc(MAX_TASKS, sizeof(*tasks), GFP_KERNEL);
	if (!tasks)
		return -ENOMEM;
	/* mmput() may sleep: hold the tasks, not the RCU read lock, while using it. */
	rcu_read_lock();
	for_each_process(p) {
		if (n == MAX_TASKS)
			break;
		if (p->flags & PF_KTHREAD)
			continue;
		get_task_struct(p);
		tasks[n++] = p;
	}
	rcu_read_unlock();

	for (i = 0; i < n; i++) {
		struct mm_struct *mm = get_task_mm(tasks[i]);

		if (mm) {
			unsigned long heap = mm->brk > mm->start_brk ? mm->brk - mm->start_brk : 0;

			if (heap > max_heap) {
				max_heap = heap;
				max_pid = task_pid_nr(tasks[i]);
			}
		}
		put_task_struct(tasks[i]);
	}
	kfree(tasks);

	if (max_heap)
		pr_info("PID: %d has max heap usage with: %lu\n", max_pid, max_heap);
	else
		pr_info("no process has a heap\n");
	return 0;
}

static void __exit heapmm_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(heapmm_init);
module_exit(heapmm_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Finds the process with the largest heap, through get_task_mm()");
