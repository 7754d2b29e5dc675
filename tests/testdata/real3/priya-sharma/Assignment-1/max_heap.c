#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Priya Sharma");

static int __init max_heap_init(void)
{
	struct task_struct *task;
	unsigned long max_heap = 0;
	int max_pid = 0;

	printk(KERN_INFO "largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(task) {
		unsigned long heap;

		task_lock(task);
		heap = task->mm ? task->mm->brk - task->mm->start_brk : 0;
		task_unlock(task);
		if (heap > max_heap) {
			max_heap = heap;
			max_pid = task->pid;
		}
	}
	rcu_read_unlock();
	/* addresses are hex everywhere else, so the size too */
	printk(KERN_INFO "PID: %d has max heap usage with: %lx\n", max_pid, max_heap);
	return 0;
}

static void __exit max_heap_exit(void)
{
	printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

module_init(max_heap_init);
module_exit(max_heap_exit);
