// SPDX-License-Identifier: GPL-2.0
/*
 * hostile2 corpus (hand-written): a correct size module, the control beside
 * an attack: it must keep its full marks whatever the other file does.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

static int pid;
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "the process to measure");

static int __init vas_init(void)
{
	struct task_struct *t;
	struct mm_struct *mm;
	unsigned long rss_kb, vm_kb;

	if (pid <= 0) {
		pr_err("size: pid must be positive, got %d\n", pid);
		return -EINVAL;
	}
	t = get_pid_task(find_vpid(pid), PIDTYPE_PID);
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
	rss_kb = get_mm_rss(mm) << (PAGE_SHIFT - 10);
	vm_kb = mm->total_vm << (PAGE_SHIFT - 10);
	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", t->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n", rss_kb, vm_kb);
	mmput(mm);
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
