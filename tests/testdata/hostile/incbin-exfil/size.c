// SPDX-License-Identifier: GPL-2.0
/*
 * A well-behaved size module (hand-written for the hostile corpus): it is
 * here so that each attack shows its cost is limited to the attacking task.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "process to measure");

static int __init size_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *sp;
	unsigned long rss, vm;

	if (pid <= 0) {
		pr_err("size: pid must be positive, got %d\n", pid);
		return -EINVAL;
	}
	sp = find_get_pid(pid);
	task = get_pid_task(sp, PIDTYPE_PID);
	put_pid(sp);
	if (!task) {
		pr_err("size: no process with pid %d\n", pid);
		return -ESRCH;
	}
	mm = get_task_mm(task);
	if (!mm) {
		pr_err("size: pid %d is a kernel thread (no user address space)\n", pid);
		put_task_struct(task);
		return -EINVAL;
	}
	mmap_read_lock(mm);
	vm = mm->total_vm;
	mmap_read_unlock(mm);
	rss = get_mm_rss(mm);
	mmput(mm);

	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", task->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n",
		rss << (PAGE_SHIFT - 10), vm << (PAGE_SHIFT - 10));
	put_task_struct(task);
	return 0;
}

static void __exit size_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(size_init);
module_exit(size_exit);
MODULE_LICENSE("GPL");
