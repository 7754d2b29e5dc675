// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile2 corpus, hand-written): heap by spraying.
 * Never build or load it outside the grader's sandbox and a throw-away VM.
 *
 * It never looks for the largest heap: it prints every process that has
 * an address space, with its brk - start_brk, all on one line. The right
 * pid and the right size are on that line, next to every wrong one.
 */
#include <linux/mm_types.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

static char heaps[960];

static int __init heap_init(void)
{
	struct task_struct *t;
	int n = 0;

	pr_info("largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(t) {
		unsigned long heap = 0;
		bool user = false;

		task_lock(t);
		if (t->mm) {
			heap = t->mm->brk - t->mm->start_brk;
			user = true;
		}
		task_unlock(t);
		if (user && n < (int)sizeof(heaps) - 40)
			n += scnprintf(heaps + n, sizeof(heaps) - n, "%d:%lu ", t->pid, heap);
	}
	rcu_read_unlock();
	pr_info("heaps %s\n", heaps);
	return 0;
}

static void __exit heap_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);
MODULE_LICENSE("GPL");
