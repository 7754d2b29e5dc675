#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/mm_types.h>

static int __init heap_init(void)
{
	struct task_struct *p;
	struct task_struct *winner = NULL;
	unsigned long most = 0;

	pr_info("largest heap memory lkm loaded\n");
	for_each_process(p) {
		unsigned long used;

		if (!p->mm)
			continue;
		used = p->mm->brk - p->mm->start_brk;
		if (used > most) {
			most = used;
			winner = p;
		}
	}
	if (winner)
		pr_info("PID: %d has max heap usage with: %lu\n", winner->pid, most);
	return 0;
}
module_init(heap_init);

static void __exit heap_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}
module_exit(heap_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Gabriel O.");
