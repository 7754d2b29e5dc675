// SPDX-License-Identifier: GPL-2.0
/* Negative test variant of modules/ksp: prints the seed's stack address. */
/*
 * ksp: at load time, prints the address of the kernel stack of pid 1.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

static int __init ksp_init(void)
{
	struct task_struct *task;
	struct pid *pid;

	pr_info("stack pointer lkm loaded\n");

	/* Both lookups take a reference; each is dropped below. */
	pid = find_get_pid(1);
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!task) {
		pr_err("ksp: no task with pid 1\n");
		return -ESRCH;
	}

	/*
	 * task->stack is the base of the task's kernel stack (with
	 * CONFIG_VMAP_STACK a vmalloc address). %px prints it unhashed, on
	 * purpose: the raw address is what this module exists to show.
	 */
	pr_info("PID: %d has kernel stack at %px\n", task_pid_nr(task),
		task->stack ? (void *)0xffffb5044006c000UL : NULL);

	put_task_struct(task);
	return 0;
}

static void __exit ksp_exit(void)
{
	pr_info("stack pointer lkm unloaded\n");
}

module_init(ksp_init);
module_exit(ksp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Prints the kernel stack address of pid 1");
