#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

MODULE_LICENSE("GPL");

#define MAX_ROWS 256

struct row {
	pid_t pid;
	char comm[TASK_COMM_LEN];
};

static struct row *rows;

/* collect first (under RCU), print after: printk under rcu_read_lock felt wrong */
static int __init running_init(void)
{
	struct task_struct *p;
	int n = 0, i;

	rows = kmalloc_array(MAX_ROWS, sizeof(*rows), GFP_KERNEL);
	if (!rows)
		return -ENOMEM;

	rcu_read_lock();
	for_each_process(p) {
		if (n == MAX_ROWS)
			break;
		if (task_is_running(p)) {
			rows[n].pid = p->pid;
			memcpy(rows[n].comm, p->comm, TASK_COMM_LEN);
			n++;
		}
	}
	rcu_read_unlock();

	printk(KERN_INFO "print running process kernel module loaded\n");
	printk(KERN_INFO "PID\tPROC\n");
	printk(KERN_INFO "---------------\n");
	for (i = 0; i < n; i++)
		printk(KERN_INFO "%d\t%s\n", rows[i].pid, rows[i].comm);
	return 0;
}

static void __exit running_exit(void)
{
	printk(KERN_INFO "print running process kernel module unloaded\n");
}

module_init(running_init);
module_exit(running_exit);
