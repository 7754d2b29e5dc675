#include <linux/init.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");

static int __init heap_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long heap, max_heap = 0;
	int max_pid = 0;

	pr_info("largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(task) {
		task_lock(task);
		mm = task->mm;
		heap = mm ? mm->brk - mm->start_brk : 0;
		task_unlock(task);
		if (heap > max_heap) {
			max_heap = heap;
			max_pid = task->pid;
		}
	}
	rcu_read_unlock();
	pr_info("PID: %d has max heap usage with: %lu\n", max_pid, max_heap);
	return 0;
}

static void __exit heap_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);
