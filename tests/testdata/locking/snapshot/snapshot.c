// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot: copies every process's pid and name into a list while walking
 * the task list under rcu_read_lock(), then prints the list and frees it.
 * Nothing may sleep inside the read section, so the copies are allocated
 * with GFP_ATOMIC.
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

static int __init snapshot_init(void)
{
	struct entry *e, *tmp;
	struct task_struct *p;
	LIST_HEAD(entries);
	int n = 0;

	rcu_read_lock();
	for_each_process(p) {
		e = kmalloc(sizeof(*e), GFP_ATOMIC);
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

static void __exit snapshot_exit(void)
{
	pr_info("snapshot: unloaded\n");
}

module_init(snapshot_init);
module_exit(snapshot_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Copies the process list (a locking fixture)");
