#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/pid.h>

static int __init ksp_init(void)
{
	struct task_struct *t;

	pr_info("stack pointer lkm loaded\n");
	rcu_read_lock();
	t = pid_task(find_vpid(1), PIDTYPE_PID);
	if (t)
		pr_info("PID: %d has kernel stack at %lx\n", t->pid, (unsigned long)t->stack);
	rcu_read_unlock();
	return 0;
}

static void __exit ksp_exit(void)
{
	pr_info("stack pointer lkm unloaded\n");
}

module_init(ksp_init);
module_exit(ksp_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Noah F.");
