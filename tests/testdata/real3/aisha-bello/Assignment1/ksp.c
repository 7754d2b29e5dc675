#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL v2");
MODULE_AUTHOR("Aisha Bello");
MODULE_DESCRIPTION("kernel stack of pid 1");

static int __init ksp_init(void)
{
	struct pid *pid_struct;
	struct task_struct *task;

	pr_notice("stack pointer lkm loaded\n");

	pid_struct = find_get_pid(1);
	task = get_pid_task(pid_struct, PIDTYPE_PID);
	put_pid(pid_struct);
	if (!task) {
		pr_notice("no task with pid 1?\n");
		return 0;
	}
	/* %px: the real address, %p would hash it */
	pr_notice("PID: 1 has kernel stack at %px\n", task->stack);
	put_task_struct(task);
	return 0;
}

static void __exit ksp_exit(void)
{
	pr_notice("stack pointer lkm unloaded\n");
}

module_init(ksp_init);
module_exit(ksp_exit);
