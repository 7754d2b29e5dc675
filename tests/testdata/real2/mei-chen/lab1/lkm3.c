#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Mei Chen");

static int __init lkm3_init(void)
{
	struct task_struct *task;

	printk("stack pointer lkm loaded\n");
	rcu_read_lock();
	task = pid_task(find_vpid(1), PIDTYPE_PID);
	if (task)
		printk("PID: 1 has kernel stack at %px\n", task->stack);
	rcu_read_unlock();
	return 0;
}

static void __exit lkm3_exit(void)
{
	printk("stack pointer lkm unloaded\n");
}

module_init(lkm3_init);
module_exit(lkm3_exit);
