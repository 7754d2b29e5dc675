#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/pid.h>
#include <linux/sched.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Nadia Saleh");

static int __init lkm3_init(void)
{
	struct task_struct *t;

	pr_info("stack pointer lkm loaded\n");
	rcu_read_lock();
	t = pid_task(find_vpid(1), PIDTYPE_PID);
	if (t)
		pr_info("PID: 1 has kernel stack at %px\n", t->stack);
	rcu_read_unlock();
	return 0;
}

static void __exit lkm3_exit(void)
{
	pr_info("stack pointer lkm unloaded\n");
}

module_init(lkm3_init);
module_exit(lkm3_exit);
