#include <linux/module.h>
#include <linux/sched/signal.h>

/*
 * Lists every process that is running or waiting to run.
 * Nothing to clean up, so there is no exit function.
 */
static int __init running_init(void)
{
	struct task_struct *p;

	pr_info("print running process kernel module loaded\n");
	pr_info("PID\tPROC\n");
	pr_info("---------------\n");
	rcu_read_lock();
	for_each_process(p) {
		if (task_is_running(p))
			pr_info("%d\t%s\n", p->pid, p->comm);
	}
	rcu_read_unlock();
	return 0;
}
module_init(running_init);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Gabriel O.");
