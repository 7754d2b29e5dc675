// SPDX-License-Identifier: GPL-2.0
/*
 * taskstack: a hand-written test fixture for the stacks workload. It
 * prints task->stack of the task with the given pid: for pid 1 that is
 * what the ksp task asks for; for pid 2 it is another thread stack, which
 * only the pid1_stack fact tells apart from pid 1's.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

static int pid = 1;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "pid of the task whose kernel stack is printed");

static int __init taskstack_init(void)
{
	struct task_struct *task;
	struct pid *spid;

	spid = find_get_pid(pid);
	task = get_pid_task(spid, PIDTYPE_PID);
	put_pid(spid);
	if (!task) {
		pr_err("taskstack: no task with pid %d\n", pid);
		return -ESRCH;
	}
	/* %px: the raw address is what the test compares. */
	pr_info("PID: %d has kernel stack at %px\n", pid, task->stack);
	put_task_struct(task);
	return 0;
}

static void __exit taskstack_exit(void)
{
	pr_info("taskstack unloaded\n");
}

module_init(taskstack_init);
module_exit(taskstack_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test fixture: prints task->stack of a pid");
