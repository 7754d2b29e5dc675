// heap.c -- Jamal Wright, OS lab 1
//
// Same idea as running.c: a kernel thread does the search.
#include <linux/module.h>
#include <linux/init.h>
#include <linux/printk.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

static struct task_struct *worker;

static int find_largest_heap(void *unused)
{
	struct task_struct *p;
	unsigned long heap, best = 0;
	pid_t best_pid = 0;

	rcu_read_lock();
	for_each_process(p) {
		if (!p->mm)
			continue;
		heap = p->mm->brk - p->mm->start_brk;
		if (heap > best) {
			best = heap;
			best_pid = p->pid;
		}
	}
	rcu_read_unlock();
	pr_info("PID: %d has max heap usage with: %lu\n", best_pid, best);

	while (!kthread_should_stop())
		msleep_interruptible(100);
	return 0;
}

static int __init heap_init(void)
{
	pr_info("largest heap memory lkm loaded\n");
	worker = kthread_run(find_largest_heap, NULL, "lkm2_worker");
	if (IS_ERR(worker))
		return PTR_ERR(worker);
	return 0;
}

static void __exit heap_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Jamal Wright");
