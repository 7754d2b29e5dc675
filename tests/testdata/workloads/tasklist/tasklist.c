// SPDX-License-Identifier: GPL-2.0
/*
 * tasklist: a hand-written test fixture for the tree workload. It lists
 * the processes in running or runnable state, as the running task asks;
 * with every=1 it lists every process instead, the easy answer the tree's
 * sleeping and stopped children must catch.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/version.h>

/* task_is_running() came with 5.14 (task->state became __state). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 14, 0)
#define task_is_running(p) (READ_ONCE((p)->state) == TASK_RUNNING)
#endif

static bool every;
module_param(every, bool, 0);
MODULE_PARM_DESC(every, "list every process, whatever its state");

static int __init tasklist_init(void)
{
	struct task_struct *p;
	char comm[TASK_COMM_LEN];

	pr_info("PID\tPROC\n");
	pr_info("---------------\n");
	/* RCU keeps every task valid during the walk; nothing here sleeps. */
	rcu_read_lock();
	for_each_process(p) {
		if (!every && !task_is_running(p))
			continue;
		get_task_comm(comm, p);
		pr_info("%d\t%s\n", task_pid_nr(p), comm);
	}
	rcu_read_unlock();
	return 0;
}

static void __exit tasklist_exit(void)
{
	pr_info("tasklist unloaded\n");
}

module_init(tasklist_init);
module_exit(tasklist_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test fixture: lists running (or every) process");
