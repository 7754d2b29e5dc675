#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Mei Chen");

static int __init lkm2_init(void)
{
	struct task_struct *task, *max_task = NULL;
	unsigned long max_heap = 0;

	printk(KERN_INFO "largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(task) {
		struct mm_struct *mm = task->mm;

		if (mm && mm->brk - mm->start_brk > max_heap) {
			max_heap = mm->brk - mm->start_brk;
			max_task = task;
		}
	}
	if (max_task)
		printk(KERN_INFO "PID:\t%d  has max heap usage with:  %lu \n", max_task->pid, max_heap);
	rcu_read_unlock();
	return 0;
}

static void __exit lkm2_exit(void)
{
	printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

module_init(lkm2_init);
module_exit(lkm2_exit);
