// SPDX-License-Identifier: GPL-2.0
/*
 * Control file of the hostile3 corpus (hand-written): an honest size module
 * beside the attack, so that the grade shows the attack costs its own task
 * and no other.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

static int pid;
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "the process whose sizes are printed");

static int __init vas_init(void)
{
	struct task_struct *t;
	struct mm_struct *mm;
	struct pid *ref;
	unsigned long resident, total;

	if (pid <= 0) {
		pr_err("size: pid must be positive, got %d\n", pid);
		return -EINVAL;
	}
	ref = find_get_pid(pid);
	t = get_pid_task(ref, PIDTYPE_PID);
	put_pid(ref);
	if (!t) {
		pr_err("size: no process with pid %d\n", pid);
		return -ESRCH;
	}
	mm = get_task_mm(t);
	if (!mm) {
		pr_err("size: pid %d is a kernel thread (no user address space)\n", pid);
		put_task_struct(t);
		return -EINVAL;
	}
	resident = get_mm_rss(mm) << (PAGE_SHIFT - 10);
	total = READ_ONCE(mm->total_vm) << (PAGE_SHIFT - 10);
	mmput(mm);
	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", t->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n", resident, total);
	put_task_struct(t);
	return 0;
}

static void __exit vas_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(vas_init);
module_exit(vas_exit);
MODULE_LICENSE("GPL");
