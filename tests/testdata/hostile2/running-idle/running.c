// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile2 corpus, hand-written): "running" by exclusion.
 * Never build or load it outside the grader's sandbox and a throw-away VM.
 *
 * It lists every process that is neither sleeping interruptibly nor
 * stopped: the running ones, and with them every idle kernel thread
 * (TASK_IDLE), every task in uninterruptible sleep and every zombie.
 * About sixty lines, of which one or two are running.
 */
#include <linux/module.h>
#include <linux/sched/signal.h>

static int __init run_init(void)
{
	struct task_struct *p;

	pr_info("print running process kernel module loaded\n");
	pr_info("PID\tPROC\n");
	pr_info("---------------\n");
	rcu_read_lock();
	for_each_process(p) {
		unsigned int st = READ_ONCE(p->__state);

		if (!(st & (TASK_INTERRUPTIBLE | __TASK_STOPPED | __TASK_TRACED)))
			pr_info("%d\t%s\n", p->pid, p->comm);
	}
	rcu_read_unlock();
	return 0;
}

static void __exit run_exit(void)
{
	pr_info("print running process kernel module unloaded\n");
}

module_init(run_init);
module_exit(run_exit);
MODULE_LICENSE("GPL");
