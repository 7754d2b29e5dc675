/* Exercise 3 - largest heap (Quentin Dubois) */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched/signal.h>

static int __init ex3_init(void)
{
	struct task_struct *p;
	unsigned long size, max = 0;
	pid_t max_pid = 0;

	pr_info("largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(p) {
		if (!p->mm)
			continue;
		size = p->mm->brk - p->mm->start_brk;
		if (size > max) {
			max = size;
			max_pid = p->pid;
		}
	}
	rcu_read_unlock();
	pr_info("PID: %d has max heap usage with: %lu\n", max_pid, max);
	return 0;
}

static void __exit ex3_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(ex3_init);
module_exit(ex3_exit);
MODULE_LICENSE("GPL");
