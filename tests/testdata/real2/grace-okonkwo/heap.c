#include <linux/module.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

static int __init heap_init(void)
{
	struct task_struct *t;
	unsigned long heap, max = 0;
	pid_t pid = 0;

	pr_info("largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(t) {
		struct mm_struct *mm = READ_ONCE(t->mm);

		if (!mm)
			continue;
		heap = mm->brk - mm->start_brk;
		if (heap > max) {
			max = heap;
			pid = task_pid_nr(t);
		}
	}
	rcu_read_unlock();
	pr_info("PID: %d has max heap usage with: %lu\n", pid, max);
	return 0;
}

static void __exit heap_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);
MODULE_LICENSE("GPL");
