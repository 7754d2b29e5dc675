#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");

static int __init lkm2_init(void)
{
	struct task_struct *p;
	unsigned long max_heap = 0;
	int max_pid = 0;

	printk(KERN_INFO "largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(p) {
		unsigned long heap;

		task_lock(p);
		heap = p->mm ? p->mm->brk - p->mm->start_brk : 0;
		task_unlock(p);
		if (heap > max_heap) {
			max_heap = heap;
			max_pid = p->pid;
		}
	}
	rcu_read_unlock();
	/* in pagine: più leggibile */
	printk(KERN_INFO "PID: %d has max heap usage with: %lu pages\n", max_pid,
	       max_heap >> PAGE_SHIFT);
	return 0;
}

static void __exit lkm2_exit(void)
{
	printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

module_init(lkm2_init);
module_exit(lkm2_exit);
