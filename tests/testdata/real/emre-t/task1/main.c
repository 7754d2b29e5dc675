#include <linux/module.h>
#include <linux/init.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");

static int __init start(void)
{
	struct task_struct *proc;

	pr_info("print running process kernel module loaded\n");
	pr_info("PID\tPROC\n");
	pr_info("---------------\n");
	rcu_read_lock();
	for_each_process(proc)
		if (task_is_running(proc))
			pr_info("%d\t%s\n", proc->pid, proc->comm);
	rcu_read_unlock();
	return 0;
}

static void __exit finish(void)
{
	pr_info("print running process kernel module unloaded\n");
}

module_init(start);
module_exit(finish);
