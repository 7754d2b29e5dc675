#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");

static int __init heap_init(void)
{
	struct task_struct *p;
	unsigned long biggest = 0;
	pid_t who = 0;

	printk(KERN_INFO "largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(p) {
		unsigned long h;

		task_lock(p);
		h = p->mm ? p->mm->brk - p->mm->start_brk : 0;
		task_unlock(p);
		if (h > biggest) {
			biggest = h;
			who = p->pid;
		}
	}
	rcu_read_unlock();
	printk(KERN_INFO "PID: %d has max heap usage with: %lu\n", who, biggest);
	return 0;
}

static void __exit heap_exit(void)
{
	printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);
