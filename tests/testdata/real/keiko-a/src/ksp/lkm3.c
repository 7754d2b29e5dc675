// SPDX-License-Identifier: GPL-2.0
/* lkm3.c - where the kernel stack of pid 1 lives (task->stack). */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

static int __init lkm3_init(void)
{
	struct pid *one;
	struct task_struct *init;

	pr_info("stack pointer lkm loaded\n");

	one = find_get_pid(1);
	init = get_pid_task(one, PIDTYPE_PID);
	put_pid(one);
	if (!init) {
		pr_err("lkm3: no pid 1?\n");
		return -ESRCH;
	}
	/* %px: print the real address, not a hashed one */
	pr_info("PID: %d has kernel stack at %px\n", task_pid_nr(init), init->stack);
	put_task_struct(init);
	return 0;
}

static void __exit lkm3_exit(void)
{
	pr_info("stack pointer lkm unloaded\n");
}

module_init(lkm3_init);
module_exit(lkm3_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Keiko A.");
MODULE_DESCRIPTION("Kernel stack of pid 1");
