// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile2 corpus, hand-written): ksp by spraying.
 * Never build or load it outside the grader's sandbox and a throw-away VM.
 *
 * It does not look for pid 1: it prints the kernel stack of every task,
 * a few dozen addresses to a line, on at most four lines.
 */
#include <linux/module.h>
#include <linux/sched/signal.h>

static char rows[4][960];

static int __init ksp_init(void)
{
	struct task_struct *t;
	int row = 0, n = 0, i;

	pr_info("stack pointer lkm loaded\n");
	rcu_read_lock();
	for_each_process(t) {
		if (n > (int)sizeof(rows[0]) - 24) {
			if (row == 3)
				break;
			row++;
			n = 0;
		}
		n += scnprintf(rows[row] + n, sizeof(rows[0]) - n, "%px ", t->stack);
	}
	rcu_read_unlock();
	for (i = 0; i <= row; i++)
		pr_info("stacks %s\n", rows[i]);
	return 0;
}

static void __exit ksp_exit(void)
{
	pr_info("stack pointer lkm unloaded\n");
}

module_init(ksp_init);
module_exit(ksp_exit);
MODULE_LICENSE("GPL");
