#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/mm_types.h>

static int __init lkm2_init(void)
{
	struct task_struct *t;
	unsigned long heap, max = 0;
	int pid = 0;

	pr_info("largest heap memory lkm loaded\n");
	for_each_process(t) {
		heap = t->mm->brk - t->mm->start_brk;
		if (heap > max) {
			max = heap;
			pid = t->pid;
		}
	}
	pr_info("PID: %d has max heap usage with: %lu\n", pid, max);
	return 0;
}

static void __exit lkm2_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(lkm2_init);
module_exit(lkm2_exit);
MODULE_LICENSE("GPL");
