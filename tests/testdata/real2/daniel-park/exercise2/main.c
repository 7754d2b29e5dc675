/*
 * exercise2/main.c - the process with the largest heap (brk - start_brk).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/mm_types.h>

int init_module(void)
{
	struct task_struct *task;
	struct task_struct *largest = NULL;
	unsigned long largest_heap = 0;

	printk(KERN_INFO "largest heap memory lkm loaded\n");

	rcu_read_lock();
	for_each_process(task) {
		unsigned long heap;

		if (!task->mm)
			continue;
		heap = task->mm->brk - task->mm->start_brk;
		if (heap > largest_heap) {
			largest_heap = heap;
			largest = task;
		}
	}
	if (largest)
		printk(KERN_INFO "PID: %d has max heap usage with: %lu\n",
		       largest->pid, largest_heap);
	rcu_read_unlock();
	return 0;
}

void cleanup_module(void)
{
	printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

MODULE_LICENSE("Dual MIT/GPL");
MODULE_AUTHOR("Daniel Park");
