/* first try at lkm2 -- crashes the VM (kernel threads have no mm) */
#include <linux/module.h>
#include <linux/sched/signal.h>

static int __init lkm2_init(void)
{
	struct task_struct *p;
	unsigned long best = 0;
	int best_pid = 0;

	pr_info("largest heap memory lkm loaded\n");
	for_each_process(p) {
		if (p->mm->brk - p->mm->start_brk > best) {
			best = p->mm->brk - p->mm->start_brk;
			best_pid = p->pid;
		}
	}
	pr_info("PID: %d has max heap usage with: %lu\n", best_pid, best);
	return 0;
}

static void __exit lkm2_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(lkm2_init);
module_exit(lkm2_exit);
MODULE_LICENSE("GPL");
