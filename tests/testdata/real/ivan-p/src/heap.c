#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched/signal.h>
#include <linux/mm_types.h>

static int __init heap_init(void)
{
	struct task_struct *task;
	unsigned long biggest = 0;
	int biggest_pid = 0;

	printk(KERN_INFO "largest heap memory lkm loaded\n");
	for_each_process(task) {
		if (task->mm != NULL) {
			unsigned long h = task->mm->brk - task->mm->start_brk;

			if (h > biggest) {
				biggest = h;
				biggest_pid = task->pid;
			}
		}
	}
	printk(KERN_INFO "PID: %d has max heap usage with: %lu MiB\n",
	       biggest_pid, biggest >> 20);
	return 0;
}

static void __exit heap_exit(void)
{
	printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);
MODULE_LICENSE("GPL");
