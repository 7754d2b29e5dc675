#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched/signal.h>

static int __init lkm1_start(void)
{
	struct task_struct *p;

	pr_info("print running process kernel module loaded\n");
	pr_info("PID\tPROC\n");
	pr_info("---------------\n");
	rcu_read_lock();
	for_each_process(p) {
		/* TASK_RUNNING covers both running and runnable (on a runqueue) */
		if (READ_ONCE(p->__state) == TASK_RUNNING)
			pr_info("%d\t%s\n", task_pid_nr(p), p->comm);
	}
	rcu_read_unlock();
	return 0;
}

static void __exit lkm1_end(void)
{
	pr_info("print running process kernel module unloaded\n");
}

module_init(lkm1_start);
module_exit(lkm1_end);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Bruno Costa");
