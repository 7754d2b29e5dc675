#include <linux/module.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

static int __init heap_init(void)
{
	struct task_struct *t;
	unsigned long best = 0;
	pid_t best_pid = 0;

	pr_info("largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(t) {
		unsigned long h;

		if (!t->mm)
			continue;
		h = t->mm->brk - t->mm->start_brk;
		if (h > best) {
			best = h;
			best_pid = t->pid;
		}
	}
	rcu_read_unlock();
	pr_info("PID: %d has max heap usage with: %lu\n", best_pid, best);
	return 0;
}

static void __exit heap_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("Nikolai Ivanov");
