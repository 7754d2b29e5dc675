#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Farid Haddad");

static int __init proc_running_init(void)
{
	struct task_struct *task = &init_task;

	pr_info("print running process kernel module loaded\n");
	pr_info("PID\tPROC\n");
	pr_info("---------------\n");

	rcu_read_lock();
	/* walk the circular task list by hand, starting after init_task */
	while ((task = next_task(task)) != &init_task) {
		if (READ_ONCE(task->__state) == TASK_RUNNING)
			pr_info("%d\t%s\n", task_pid_nr(task), task->comm);
	}
	rcu_read_unlock();
	return 0;
}

static void __exit proc_running_exit(void)
{
	pr_info("print running process kernel module unloaded\n");
}

module_init(proc_running_init);
module_exit(proc_running_exit);
