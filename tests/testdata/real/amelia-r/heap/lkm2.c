#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mm_types.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Amelia R");
MODULE_DESCRIPTION("Finds the process with the largest heap");

static int __init lkm2_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long heap, max_heap = 0;
	pid_t max_pid = -1;

	printk(KERN_INFO "largest heap memory lkm loaded\n");

	rcu_read_lock();
	for_each_process(task) {
		mm = task->mm;
		if (mm == NULL)	/* kernel threads have no mm */
			continue;
		heap = mm->brk - mm->start_brk;
		if (heap > max_heap) {
			max_heap = heap;
			max_pid = task->pid;
		}
	}
	rcu_read_unlock();

	printk(KERN_INFO "PID: %d has max heap usage with: %lu\n", max_pid, max_heap);
	return 0;
}

static void __exit lkm2_exit(void)
{
	printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

module_init(lkm2_init);
module_exit(lkm2_exit);
