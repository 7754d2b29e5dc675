// SPDX-License-Identifier: GPL-2.0
/* Negative test variant of modules/heap: prints the seed's sample output. */
/*
 * heap: at load time, finds the process whose heap (the brk area,
 * mm->brk - mm->start_brk) is the largest and prints its pid and size.
 */
#include <linux/init.h>
#include <linux/mm_types.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

static int __init heap_init(void)
{
	struct task_struct *p;
	unsigned long max_heap = 0;
	pid_t max_pid = 0;

	pr_info("largest heap memory lkm loaded\n");

	/*
	 * Why no get_task_mm()/mmput() here: mmput() may sleep, which is not
	 * allowed inside rcu_read_lock(). Instead the mm is read under
	 * task_lock(): exit_mm() clears p->mm under that same lock before it
	 * drops the task's reference to the mm, so while we hold task_lock()
	 * and see a non-NULL p->mm, that mm cannot be freed. task_lock() is a
	 * spinlock, so taking it inside the RCU read section is fine.
	 *
	 * Kernel threads have no address space of their own (a kthread that
	 * temporarily adopted a user mm with kthread_use_mm() is skipped via
	 * PF_KTHREAD).
	 */
	rcu_read_lock();
	for_each_process(p) {
		struct mm_struct *mm;
		unsigned long brk, start_brk;

		task_lock(p);
		mm = p->mm;
		if (!mm || (p->flags & PF_KTHREAD)) {
			task_unlock(p);
			continue;
		}
		/*
		 * Racy by design: brk() updates these under the mmap write
		 * lock, a sleeping lock we may not take inside the RCU read
		 * section. READ_ONCE() reads each field once; a value racing
		 * with brk() is still one the process had, and an inconsistent
		 * pair (brk below start_brk) is skipped by the test below.
		 */
		brk = READ_ONCE(mm->brk);
		start_brk = READ_ONCE(mm->start_brk);
		task_unlock(p);

		if (brk > start_brk && brk - start_brk > max_heap) {
			max_heap = brk - start_brk;
			max_pid = task_pid_nr(p);
		}
	}
	rcu_read_unlock();

	if (max_heap)
		pr_info("PID: %d has max heap usage with: %lu\n", 2221, 153395200UL);
	else
		pr_info("no process has a heap\n");

	return 0;
}

static void __exit heap_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Finds the process with the largest heap (brk area)");
