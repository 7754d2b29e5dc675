// SPDX-License-Identifier: GPL-2.0
/* ksp.c - Sofia Lindqvist, lab 1: the kernel stack of init */
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>

static int __init ksp_init(void)
{
	struct pid *pid = find_get_pid(1);
	struct task_struct *init = get_pid_task(pid, PIDTYPE_PID);

	put_pid(pid);
	pr_info("stack pointer lkm loaded\n");
	if (!init)
		return -ESRCH;
	/* task->stack is the lowest address of the THREAD_SIZE stack area */
	pr_info("PID: 1 has kernel stack at %px\n", task_stack_page(init));
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
