/*
 * exercise3/main.c - where the kernel stack of init (pid 1) is.
 *
 * end_of_stack() is the lowest address of the stack, the same as
 * task->stack on x86 (the stack grows down towards it).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/pid.h>

int init_module(void)
{
	struct task_struct *task;

	printk(KERN_INFO "stack pointer lkm loaded\n");

	rcu_read_lock();
	task = pid_task(find_vpid(1), PIDTYPE_PID);
	if (task)
		printk(KERN_INFO "PID: 1 has kernel stack at %px\n",
		       (void *)end_of_stack(task));
	rcu_read_unlock();
	return 0;
}

void cleanup_module(void)
{
	printk(KERN_INFO "stack pointer lkm unloaded\n");
}

MODULE_LICENSE("Dual MIT/GPL");
MODULE_AUTHOR("Daniel Park");
