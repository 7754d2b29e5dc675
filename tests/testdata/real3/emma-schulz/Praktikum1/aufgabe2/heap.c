// SPDX-License-Identifier: Dual BSD/GPL
/*
 * heap.c – Aufgabe 2: Prozess mit dem größten Heap (brk − start_brk).
 * Kernel-Threads haben kein mm und werden übersprungen.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/mm_types.h>

MODULE_LICENSE("Dual BSD/GPL");
MODULE_AUTHOR("Emma Schulz");

static int __init heap_init(void)
{
	struct task_struct *t;
	unsigned long groesster = 0;
	pid_t sieger = 0;

	pr_info("largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(t) {
		unsigned long h = 0;

		task_lock(t);           /* t->mm bleibt gültig */
		if (t->mm)
			h = t->mm->brk - t->mm->start_brk;
		task_unlock(t);
		if (h > groesster) {
			groesster = h;
			sieger = t->pid;
		}
	}
	rcu_read_unlock();
	pr_info("PID: %d has max heap usage with: %lu\n", sieger, groesster);
	return 0;
}

static void __exit heap_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);
