#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/pid.h>

int init_module(void)
{
	struct task_struct *task;

	printk(KERN_INFO "stack pointer lkm loaded\n");
	rcu_read_lock();
	task = pid_task(find_vpid(1), PIDTYPE_PID);
	if (task)
		printk(KERN_INFO "PID: %d has kernel stack at %px\n", task->pid, task->stack);
	rcu_read_unlock();
	return 0;
}

void cleanup_module(void)
{
	printk(KERN_INFO "stack pointer lkm unloaded\n");
}

MODULE_LICENSE("GPL");
