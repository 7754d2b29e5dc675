#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Jakub Nowak");

static int __init running_init(void)
{
	struct task_struct *g, *t;

	pr_info("print running process kernel module loaded\n");
	pr_info("PID\tPROC\n");
	pr_info("---------------\n");
	rcu_read_lock();
	/* only the thread group leader counts as the process */
	for_each_process_thread(g, t) {
		if (t == g && task_is_running(t))
			pr_info("%d\t%s\n", t->tgid, t->comm);
	}
	rcu_read_unlock();
	return 0;
}

static void __exit running_exit(void)
{
	pr_info("print running process kernel module unloaded\n");
}

module_init(running_init);
module_exit(running_exit);
