#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/version.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 14, 0)
#define TASK_STATE(t) READ_ONCE((t)->__state)
#else
#define TASK_STATE(t) READ_ONCE((t)->state)
#endif

static int __init running_init(void)
{
	struct task_struct *t;

	pr_info("print running process kernel module loaded\n");
	pr_info("\n");
	pr_info("PID\tPROC\n");
	pr_info("---------------\n");
	rcu_read_lock();
	for_each_process(t) {
		if (TASK_STATE(t) == TASK_RUNNING)
			pr_info("%d\t%s\n", t->pid, t->comm);
	}
	rcu_read_unlock();
	pr_info("\n");
	return 0;
}

static void __exit running_exit(void)
{
	pr_info("print running process kernel module unloaded\n");
}

module_init(running_init);
module_exit(running_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Noah F.");
