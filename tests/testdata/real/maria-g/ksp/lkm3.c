#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Maria G");

static int lkm3_init(void)
{
	struct task_struct *task;

	printk(KERN_INFO "stack pointer lkm loaded\n");
	rcu_read_lock();
	task = pid_task(find_pid_ns(1, &init_pid_ns), PIDTYPE_PID);
	if (task != NULL)
		printk(KERN_INFO "PID: %d has kernel stack at %px\n", task->pid, task->stack);
	rcu_read_unlock();
	return 0;
}

static void lkm3_exit(void)
{
	printk(KERN_INFO "stack pointer lkm unloaded\n");
}

module_init(lkm3_init);
module_exit(lkm3_exit);
