#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/mm_types.h>

static int __init heap_init(void)
{
	struct task_struct *t;
	struct mm_struct *mm;
	unsigned long max = 0;
	pid_t max_pid = 0;

	pr_info("largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(t) {
		mm = get_task_mm(t);
		if (!mm)
			continue;
		if (mm->brk - mm->start_brk > max) {
			max = mm->brk - mm->start_brk;
			max_pid = t->pid;
		}
		mmput(mm);
	}
	rcu_read_unlock();
	pr_info("PID: %d has max heap usage with: %lu\n", max_pid, max);
	return 0;
}

static void __exit heap_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Noah F.");
