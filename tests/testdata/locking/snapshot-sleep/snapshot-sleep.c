// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot-sleep: copies every process's pid and name into a list while walking
 * the task list under rcu_read_lock(), then prints the list and frees it.
 * The bug: the copies are allocated with GFP_KERNEL inside the read
 * section, where nothing may sleep (DEBUG_ATOMIC_SLEEP reports it).
 */
#include <linux/init.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>

struct entry {
	struct list_head node;
	pid_t pid;
	char comm[TASK_COMM_LEN];
};

static int __init snapshot_sleep_init(void)
{
	struct entry *e, *tmp;
	struct task_struct *p;
	LIST_HEAD(entries);
	int n = 0;

	rcu_read_lock();
	for_each_process(p) {
		e = kmalloc(sizeof(*e), GFP_KERNEL); /* the bug: may sleep */
		if (!e)
			break;
		e->pid = task_pid_nr(p);
		strscpy(e->comm, p->comm, sizeof(e->comm));
		list_add_tail(&e->node, &entries);
	}
	rcu_read_unlock();

	list_for_each_entry_safe(e, tmp, &entries, node) {
		pr_info("snapshot: %d %s\n", e->pid, e->comm);
		list_del(&e->node);
		kfree(e);
		n++;
	}
	pr_info("snapshot: total %d processes\n", n);
	return 0;
}

static void __exit snapshot_sleep_exit(void)
{
	pr_info("snapshot: unloaded\n");
}

module_init(snapshot_sleep_init);
module_exit(snapshot_sleep_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Copies the process list (a locking fixture)");
