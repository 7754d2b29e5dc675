#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/mm_types.h>

int init_module(void)
{
	struct task_struct *task;
	unsigned long size, max = 0;
	int pid = 0;

	printk(KERN_INFO "largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(task) {
		if (task->mm) {
			size = task->mm->brk - task->mm->start_brk;
			if (size > max) {
				max = size;
				pid = task->pid;
			}
		}
	}
	rcu_read_unlock();
	printk(KERN_INFO "PID: %d has max heap usage with: %lu\n", pid, max);
	return 0;
}

void cleanup_module(void)
{
	printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

MODULE_LICENSE("GPL");
