// Exercise 3 - kernel stack of the task with pid 1
// Leila Karimi

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");

static int __init ex3_init(void)
{
	struct task_struct *init_proc;

	printk(KERN_INFO "stack pointer lkm loaded\n");

	rcu_read_lock();
	init_proc = pid_task(find_vpid(1), PIDTYPE_PID);
	// task_stack_page() returns task->stack on x86
	if (init_proc)
		printk(KERN_INFO "PID: 1 has kernel stack at %px\n", task_stack_page(init_proc));
	rcu_read_unlock();
	return 0;
}

static void __exit ex3_exit(void)
{
	printk(KERN_INFO "stack pointer lkm unloaded\n");
}

module_init(ex3_init);
module_exit(ex3_exit);
