// SPDX-License-Identifier: GPL-2.0
/* heap.c - Sofia Lindqvist, lab 1: the process with the largest heap */
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

static int __init heap_init(void)
{
	struct task_struct *p, *top = NULL;
	unsigned long top_bytes = 0;

	pr_info("largest heap memory lkm loaded\n");

	rcu_read_lock();
	for_each_process(p) {
		struct mm_struct *mm;
		unsigned long bytes = 0;

		task_lock(p);
		mm = p->mm;
		if (mm && !(p->flags & PF_KTHREAD))
			bytes = mm->brk - mm->start_brk;
		task_unlock(p);

		if (bytes > top_bytes) {
			top_bytes = bytes;
			top = p;
		}
	}
	if (top)
		get_task_struct(top);
	rcu_read_unlock();

	if (top) {
		pr_info("PID: %d has max heap usage with: %lu\n", task_pid_nr(top), top_bytes);
		put_task_struct(top);
	}
	return 0;
}
module_init(heap_init);

static void __exit heap_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}
module_exit(heap_exit);

MODULE_LICENSE("GPL");
