/* Exercise 2 - running or runnable processes (Quentin Dubois) */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched/signal.h>

static int __init ex2_init(void)
{
	struct task_struct *p;

	pr_info("print running process kernel module loaded\n");
	pr_info("PID\tPROC\n");
	pr_info("---------------\n");
	rcu_read_lock();
	for_each_process(p)
		if (task_is_running(p))
			pr_info("%d\t%s\n", p->pid, p->comm);
	rcu_read_unlock();
	return 0;
}

static void __exit ex2_exit(void)
{
	pr_info("print running process kernel module unloaded\n");
}

module_init(ex2_init);
module_exit(ex2_exit);
MODULE_LICENSE("GPL");
