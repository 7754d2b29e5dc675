#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched/signal.h>
#include <linux/mm_types.h>

static int __init lkm2_start(void)
{
	struct task_struct *p;
	unsigned long max = 0, heap;
	pid_t who = 0;

	pr_info("largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(p) {
		if (!p->mm)
			continue;
		heap = p->mm->brk - p->mm->start_brk;
		if (heap > max) {
			max = heap;
			who = p->pid;
		}
	}
	rcu_read_unlock();
	/* bytes are hard to read: show MB with two decimals */
	pr_info("PID: %d has max heap usage with: %lu.%02lu MB\n", who,
		max >> 20, ((max & ((1UL << 20) - 1)) * 100) >> 20);
	return 0;
}

static void __exit lkm2_end(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(lkm2_start);
module_exit(lkm2_end);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Bruno Costa");
