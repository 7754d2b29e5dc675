// SPDX-License-Identifier: Dual BSD/GPL
/*
 * kstack.c – Aufgabe 3: Adresse des Kernel-Stacks (task->stack) von PID 1.
 * %px statt %p, sonst wird die Adresse gehasht.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

MODULE_LICENSE("Dual BSD/GPL");
MODULE_AUTHOR("Emma Schulz");

static int __init kstack_init(void)
{
	struct pid *p;
	struct task_struct *init;

	pr_info("stack pointer lkm loaded\n");
	p = find_get_pid(1);
	init = get_pid_task(p, PIDTYPE_PID);
	put_pid(p);
	if (!init)
		return -ESRCH;
	pr_info("PID: 1 has kernel stack at %px\n", init->stack);
	put_task_struct(init);
	return 0;
}

static void __exit kstack_exit(void)
{
	pr_info("stack pointer lkm unloaded\n");
}

module_init(kstack_init);
module_exit(kstack_exit);
