// ksp.c -- Jamal Wright, OS lab 1
#include <linux/module.h>
#include <linux/init.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/pid.h>

static int __init ksp_init(void)
{
	struct pid *pid1 = find_get_pid(1);
	struct task_struct *init_task_p = get_pid_task(pid1, PIDTYPE_PID);

	pr_info("stack pointer lkm loaded\n");
	put_pid(pid1);
	if (!init_task_p)
		return -ESRCH;
	pr_info("PID: 1 has kernel stack at %px\n", init_task_p->stack);
	put_task_struct(init_task_p);
	return 0;
}

static void __exit ksp_exit(void)
{
	pr_info("stack pointer lkm unloaded\n");
}

module_init(ksp_init);
module_exit(ksp_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Jamal Wright");
