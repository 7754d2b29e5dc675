#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/mm_types.h>

MODULE_LICENSE("GPL v2");
MODULE_AUTHOR("Aisha Bello");
MODULE_DESCRIPTION("process with the largest heap");

static int __init heap_init(void)
{
	struct task_struct *p;
	pid_t best_pid = -1;
	unsigned long best = 0;

	pr_info("largest heap memory lkm loaded\n");

	rcu_read_lock();
	for_each_process(p) {
		unsigned long sz;

		task_lock(p);
		if (!p->mm) {
			task_unlock(p);
			pr_debug("heap: skip %d (%s), kernel thread\n", p->pid, p->comm);
			continue;
		}
		sz = p->mm->brk - p->mm->start_brk;
		task_unlock(p);
		pr_debug("heap: %d (%s) heap %lu\n", p->pid, p->comm, sz);
		if (sz > best) {
			best = sz;
			best_pid = task_pid_nr(p);
		}
	}
	rcu_read_unlock();

	if (best_pid < 0) {
		pr_info("no user process found\n");
		return 0;
	}
	pr_info("PID: %d has max heap usage with: %lu\n", best_pid, best);
	return 0;
}

static void __exit heap_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);
