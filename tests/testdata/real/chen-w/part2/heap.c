/*
 * part2: which process uses the most heap memory? (heap = brk - start_brk)
 * Chen W.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/mm_types.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Chen W.");

static int __init heap_init(void)
{
	struct task_struct *t;
	struct task_struct *best = NULL;
	unsigned long best_heap = 0;

	printk(KERN_INFO "heap module loaded\n");
	rcu_read_lock();
	for_each_process(t) {
		unsigned long h;

		if (!t->mm)
			continue;
		h = t->mm->brk - t->mm->start_brk;
		if (h > best_heap) {
			best_heap = h;
			best = t;
		}
	}
	if (best)
		printk(KERN_INFO "Largest heap: PID %d (%s) uses %lu KB\n",
		       best->pid, best->comm, best_heap / 1024);
	rcu_read_unlock();
	return 0;
}

static void __exit heap_exit(void)
{
	printk(KERN_INFO "heap module removed\n");
}

module_init(heap_init);
module_exit(heap_exit);
