/* Exercise 4 - kernel stack of pid 1 (Quentin Dubois) */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/pid.h>

static int __init ex4_init(void)
{
	struct task_struct *p;

	pr_info("stack pointer lkm loaded\n");
	rcu_read_lock();
	p = pid_task(find_vpid(1), PIDTYPE_PID);
	if (p)
		pr_info("PID: 1 has kernel stack at %px\n", p->stack);
	rcu_read_unlock();
	return 0;
}

static void __exit ex4_exit(void)
{
	pr_info("stack pointer lkm unloaded\n");
}

module_init(ex4_init);
module_exit(ex4_exit);
MODULE_LICENSE("GPL");
