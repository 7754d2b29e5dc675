#include "lab.h"

static int __init heap_init(void)
{
	struct task_struct *t, *best = NULL;
	unsigned long best_bytes = 0;

	pr_info("largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(t) {
		unsigned long b = lab_heap_bytes(t);

		if (b > best_bytes) {
			best_bytes = b;
			best = t;
		}
	}
	if (best)
		pr_info("PID: %d has max heap usage with: %lu\n", best->pid, best_bytes);
	rcu_read_unlock();
	return 0;
}

static void __exit heap_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR(LAB_AUTHOR);
