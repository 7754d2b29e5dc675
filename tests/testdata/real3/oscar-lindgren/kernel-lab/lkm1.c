#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");

static int __init lkm1_init(void)
{
	struct task_struct *t;

	pr_info("print running process kernel module loaded\n");
	pr_info("PID\tPROC\n");
	pr_info("---------------\n");
	rcu_read_lock();
	for_each_process(t)
		if (task_is_running(t))
			pr_info("%d\t%s\n", t->pid, t->comm);
	rcu_read_unlock();
	return 0;
}

static void __exit lkm1_exit(void)
{
	pr_info("print running process kernel module unloaded\n");
}

module_init(lkm1_init);
module_exit(lkm1_exit);
