#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/mm.h>
#include <linux/mm_types.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Farid Haddad");

static int __init max_heap_init(void)
{
	struct task_struct *task;
	struct task_struct *best_task = NULL;
	unsigned long best = 0;

	pr_info("largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(task) {
		struct mm_struct *mm;
		unsigned long heap;

		if (task->flags & PF_KTHREAD)
			continue;
		task_lock(task);
		mm = task->mm;
		heap = mm ? mm->brk - mm->start_brk : 0;
		task_unlock(task);
		if (heap > best) {
			best = heap;
			best_task = task;
		}
	}
	if (best_task)
		pr_info("PID: %d has max heap usage with: %lu\n", task_pid_nr(best_task), best);
	rcu_read_unlock();
	return 0;
}

static void __exit max_heap_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(max_heap_init);
module_exit(max_heap_exit);
