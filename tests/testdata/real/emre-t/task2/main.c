#include <linux/module.h>
#include <linux/init.h>
#include <linux/sched/signal.h>
#include <linux/mm_types.h>

MODULE_LICENSE("GPL");

static int __init start(void)
{
	struct task_struct *proc;
	unsigned long best = 0;
	pid_t who = 0;

	pr_info("largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(proc) {
		struct mm_struct *mm;
		unsigned long heap;

		task_lock(proc);
		mm = proc->mm;
		heap = mm ? mm->brk - mm->start_brk : 0;
		task_unlock(proc);
		if (heap > best) {
			best = heap;
			who = proc->pid;
		}
	}
	rcu_read_unlock();
	pr_info("PID: %d has max heap usage with: %lu\n", who, best);
	return 0;
}

static void __exit finish(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(start);
module_exit(finish);
