// SPDX-License-Identifier: Dual BSD/GPL
/*
 * laufend.c – Aufgabe 1: listet alle Prozesse im Zustand TASK_RUNNING
 * (laufend oder lauffähig) auf.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("Dual BSD/GPL");
MODULE_AUTHOR("Emma Schulz");

static int __init laufend_init(void)
{
	struct task_struct *t;

	pr_info("print running process kernel module loaded\n");
	pr_info("PID\tPROC\n");
	pr_info("---------------\n");

	/* RCU schützt die Prozessliste beim Durchlaufen */
	rcu_read_lock();
	for_each_process(t) {
		if (task_is_running(t))   /* __state == TASK_RUNNING */
			pr_info("%d\t%s\n", t->pid, t->comm);
	}
	rcu_read_unlock();
	return 0;
}

static void __exit laufend_exit(void)
{
	pr_info("print running process kernel module unloaded\n");
}

module_init(laufend_init);
module_exit(laufend_exit);
