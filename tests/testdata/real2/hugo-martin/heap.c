#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Hugo Martin");

static int __init heap_init(void)
{
	struct task_struct *task;
	unsigned long max = 0;
	int pid = 0;

	printk(KERN_INFO "largest heap memory lkm loaded\n");
	for_each_process(task) {
		unsigned long size = task->mm->brk - task->mm->start_brk;
		if (size > max) {
			max = size;
			pid = task->pid;
		}
	}
	printk(KERN_INFO "PID: %d has max heap usage with: %lu\n", pid, max);
	return 0;
}

static void __exit heap_exit(void)
{
	printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);
