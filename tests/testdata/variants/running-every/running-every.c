// SPDX-License-Identifier: GPL-2.0
/* Negative test variant of modules/running: lists every process, whatever its state. */
/*
 * running: at load time, lists every process (thread-group leader) whose
 * state is TASK_RUNNING, i.e. running on a CPU or runnable on a run queue.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/version.h>

/*
 * task_is_running() came with 5.14, when task->state became __state; on
 * 5.10 the state is read the same way (a READ_ONCE of the field) under its
 * old name.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 14, 0)
#define task_is_running(p) (READ_ONCE((p)->state) == TASK_RUNNING)
#endif

static int __init running_init(void)
{
	struct task_struct *p;
	char comm[TASK_COMM_LEN];

	pr_info("print running process kernel module loaded\n");
	pr_info("PID\tPROC\n");
	pr_info("---------------\n");

	/*
	 * The task list is RCU protected: every task seen during the walk
	 * stays valid until rcu_read_unlock(). Nothing below sleeps
	 * (get_task_comm() only takes the task's spinlock).
	 */
	rcu_read_lock();
	for_each_process(p) {
		get_task_comm(comm, p);
		pr_info("%d\t%s\n", task_pid_nr(p), comm);
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

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Lists the processes in running or runnable state");
