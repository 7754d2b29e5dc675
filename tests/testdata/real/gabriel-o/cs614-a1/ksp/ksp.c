#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/pid.h>

static int __init ksp_init(void)
{
	struct pid *one = find_get_pid(1);
	struct task_struct *init = get_pid_task(one, PIDTYPE_PID);

	put_pid(one);
	pr_info("stack pointer lkm loaded\n");
	if (!init)
		return -ESRCH;
	pr_info("PID: %d has kernel stack at %px\n", init->pid, init->stack);
	put_task_struct(init);
	return 0;
}
module_init(ksp_init);

static void __exit ksp_exit(void)
{
	pr_info("stack pointer lkm unloaded\n");
}
module_exit(ksp_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Gabriel O.");
