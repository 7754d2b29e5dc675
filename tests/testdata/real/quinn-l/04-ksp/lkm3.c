#include <linux/module.h>
#include <linux/sched.h>
#include <linux/pid.h>

static int __init lkm3_init(void)
{
	struct task_struct *t;

	pr_info("stack pointer lkm loaded\n");
	rcu_read_lock();
	t = pid_task(find_vpid(1), PIDTYPE_PID);
	if (t)
		pr_info("PID: %d has kernel stack at %px\n", t->pid, t->stack);
	rcu_read_unlock();
	return 0;
}

static void __exit lkm3_exit(void)
{
	pr_info("stack pointer lkm unloaded\n");
}

module_init(lkm3_init);
module_exit(lkm3_exit);
MODULE_LICENSE("GPL");
