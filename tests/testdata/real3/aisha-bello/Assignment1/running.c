#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL v2");
MODULE_AUTHOR("Aisha Bello");
MODULE_DESCRIPTION("list running/runnable processes");

static int __init running_init(void)
{
	struct task_struct *p;
	char comm[TASK_COMM_LEN];

	pr_notice("print running process kernel module loaded\n");
	pr_notice("PID\tPROC\n");
	pr_notice("---------------\n");

	rcu_read_lock();
	for_each_process(p) {
		if (!task_is_running(p))
			continue;
		get_task_comm(comm, p);
		/* at most 10 lines per 5 s from here, enough for a normal box */
		printk_ratelimited(KERN_NOTICE "%d\t%s\n", task_pid_nr(p), comm);
	}
	rcu_read_unlock();
	return 0;
}

static void __exit running_exit(void)
{
	pr_notice("print running process kernel module unloaded\n");
}

module_init(running_init);
module_exit(running_exit);
