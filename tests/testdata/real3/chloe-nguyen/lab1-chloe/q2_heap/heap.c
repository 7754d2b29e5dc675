// Q2: largest heap. Same idea as Q1, the scan runs from a delayed work
// item (50 ms after load) so insmod returns at once.
#include <linux/module.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/mm_types.h>
#include <linux/workqueue.h>

static void find_largest_heap(struct work_struct *work)
{
	struct task_struct *t;
	unsigned long best = 0;
	pid_t who = 0;

	rcu_read_lock();
	for_each_process(t) {
		unsigned long heap;

		task_lock(t);
		heap = t->mm ? t->mm->brk - t->mm->start_brk : 0;
		task_unlock(t);
		if (heap > best) {
			best = heap;
			who = t->pid;
		}
	}
	rcu_read_unlock();
	pr_info("PID: %d has max heap usage with: %lu\n", who, best);
}

static DECLARE_DELAYED_WORK(heap_work, find_largest_heap);

static int __init heap_init(void)
{
	pr_info("largest heap memory lkm loaded\n");
	schedule_delayed_work(&heap_work, msecs_to_jiffies(50));
	return 0;
}

static void __exit heap_exit(void)
{
	cancel_delayed_work_sync(&heap_work);
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("Chloe Nguyen");
