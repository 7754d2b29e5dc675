#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");

static struct proc_dir_entry *entry;

static int running_show(struct seq_file *m, void *v)
{
	struct task_struct *p;

	seq_puts(m, "PID\tPROC\n");
	seq_puts(m, "---------------\n");
	rcu_read_lock();
	for_each_process(p) {
		if (task_is_running(p))
			seq_printf(m, "%d\t%s\n", p->pid, p->comm);
	}
	rcu_read_unlock();
	return 0;
}

static int __init running_init(void)
{
	entry = proc_create_single("running_lkm", 0444, NULL, running_show);
	if (!entry)
		return -ENOMEM;
	pr_info("print running process kernel module loaded\n");
	return 0;
}

static void __exit running_exit(void)
{
	proc_remove(entry);
	pr_info("print running process kernel module unloaded\n");
}

module_init(running_init);
module_exit(running_exit);
