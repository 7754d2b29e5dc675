// Q1: running/runnable processes.
// The listing is done from a work item instead of directly in init:
// I read that init should return quickly, so init only queues the work.
#include <linux/module.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/workqueue.h>

static void list_running(struct work_struct *work)
{
	struct task_struct *t;

	pr_info("PID\tPROC\n");
	pr_info("---------------\n");
	rcu_read_lock();
	for_each_process(t)
		if (task_is_running(t))
			pr_info("%d\t%s\n", t->pid, t->comm);
	rcu_read_unlock();
}

static DECLARE_WORK(list_work, list_running);

static int __init running_init(void)
{
	pr_info("print running process kernel module loaded\n");
	schedule_work(&list_work);
	return 0;
}

static void __exit running_exit(void)
{
	flush_work(&list_work);
	pr_info("print running process kernel module unloaded\n");
}

module_init(running_init);
module_exit(running_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("Chloe Nguyen");
