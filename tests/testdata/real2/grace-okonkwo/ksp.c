#include <linux/module.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/pid.h>

static int proc_id = 1;
module_param(proc_id, int, 0444);
MODULE_PARM_DESC(proc_id, "process whose kernel stack is printed (default: init)");

static int __init ksp_init(void)
{
	struct task_struct *t;

	pr_info("stack pointer lkm loaded\n");
	t = get_pid_task(find_get_pid(proc_id), PIDTYPE_PID);
	if (!t) {
		pr_err("ksp: no process %d\n", proc_id);
		return -ESRCH;
	}
	pr_info("PID: %d has kernel stack at %px\n", proc_id, t->stack);
	put_task_struct(t);
	return 0;
}

static void __exit ksp_exit(void)
{
	pr_info("stack pointer lkm unloaded\n");
}

module_init(ksp_init);
module_exit(ksp_exit);
MODULE_LICENSE("GPL");
