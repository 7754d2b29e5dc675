// SPDX-License-Identifier: GPL-2.0
/*
 * ancestry-norcu: prints a process and its ancestors up to init, looked
 * up by pid.
 * The bug: no rcu_read_lock() around the lookup and the walk, so a task
 * may be freed under it (PROVE_RCU reports it at pid_task()).
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>

static int pid;
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "the process whose ancestry to print");

static int __init ancestry_norcu_init(void)
{
	struct task_struct *p;
	int depth = 0;

	if (pid <= 0)
		return -EINVAL;

	/* The bug: no rcu_read_lock() before the lookup and the walk. */
	p = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (!p)
		return -ESRCH;
	pr_info("ancestry of %d (%s):\n", task_pid_nr(p), p->comm);
	while (task_pid_nr(p) > 1 && depth++ < 64) {
		p = p->real_parent;
		pr_info("  %d %s\n", task_pid_nr(p), p->comm);
	}
	return 0;
}

static void __exit ancestry_norcu_exit(void)
{
	pr_info("ancestry: unloaded\n");
}

module_init(ancestry_norcu_init);
module_exit(ancestry_norcu_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Prints a process's ancestors (a locking fixture)");
