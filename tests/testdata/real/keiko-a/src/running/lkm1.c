// SPDX-License-Identifier: GPL-2.0
/* lkm1.c - lists the processes that are running or runnable (TASK_RUNNING). */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

static int __init lkm1_init(void)
{
	struct task_struct *p;

	pr_info("print running process kernel module loaded\n");
	pr_info("PID\tPROC\n");
	pr_info("---------------\n");

	/* the task list is protected by RCU for readers */
	rcu_read_lock();
	for_each_process(p) {
		if (task_is_running(p))
			pr_info("%d\t%s\n", task_pid_nr(p), p->comm);
	}
	rcu_read_unlock();
	return 0;
}

static void __exit lkm1_exit(void)
{
	pr_info("print running process kernel module unloaded\n");
}

module_init(lkm1_init);
module_exit(lkm1_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Keiko A.");
MODULE_DESCRIPTION("Running or runnable processes");
