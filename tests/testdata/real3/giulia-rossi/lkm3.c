#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/pid.h>
#include <linux/sched.h>

MODULE_LICENSE("GPL");

static int __init lkm3_init(void)
{
	struct task_struct *task;

	printk(KERN_INFO "stack pointer lkm loaded\n");
	rcu_read_lock();
	task = pid_task(find_vpid(1), PIDTYPE_PID);
	if (task)
		/* indirizzo dello stack del kernel */
		printk(KERN_INFO "PID: 1 has kernel stack at %px\n", &task->stack);
	rcu_read_unlock();
	return 0;
}

static void __exit lkm3_exit(void)
{
	printk(KERN_INFO "stack pointer lkm unloaded\n");
}

module_init(lkm3_init);
module_exit(lkm3_exit);
