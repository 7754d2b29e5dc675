#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/mm_types.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Nadia Saleh");

static int __init lkm2_init(void)
{
	struct task_struct *p;
	unsigned long max = 0;
	pid_t max_pid = 0;

	pr_info("largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(p) {
		unsigned long heap = 0;

		task_lock(p);
		if (p->mm)
			heap = p->mm->brk - p->mm->start_brk;
		task_unlock(p);
		if (heap > max) {
			max = heap;
			max_pid = p->pid;
		}
	}
	rcu_read_unlock();
	pr_info("PID: %d has max heap usage with: %lu\n", max_pid, max);
	return 0;
}

static void __exit lkm2_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(lkm2_init);
module_exit(lkm2_exit);
