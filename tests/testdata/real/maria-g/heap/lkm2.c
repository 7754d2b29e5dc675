#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched/signal.h>
#include <linux/mm.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Maria G");

static int lkm2_init(void)
{
	struct task_struct *task;
	unsigned long max_pages = 0;
	int max_pid = 0;

	printk(KERN_INFO "largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(task) {
		if (task->mm && task->mm->total_vm > max_pages) {
			max_pages = task->mm->total_vm;
			max_pid = task->pid;
		}
	}
	rcu_read_unlock();
	printk(KERN_INFO "PID: %d has max heap usage with: %lu\n", max_pid, max_pages * PAGE_SIZE);
	return 0;
}

static void lkm2_exit(void)
{
	printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

module_init(lkm2_init);
module_exit(lkm2_exit);
