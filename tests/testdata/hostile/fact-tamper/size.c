// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE: size that makes its wrong answer come true. It prints the
 * true resident size but a virtual size of 4 KiB, then rewrites the target's
 * mm->total_vm to one page, so that VmSize in /proc/<pid>/status, read after
 * the step, agrees with what it printed. A grader that accepts either the
 * value before the step or the value after it counts the lie as true.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
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
	unsigned long rss;

	if (pid <= 0)
		return -EINVAL;
	sp = find_get_pid(pid);
	task = get_pid_task(sp, PIDTYPE_PID);
	put_pid(sp);
	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	if (!mm) {
		put_task_struct(task);
		return -EINVAL;
	}
	rss = get_mm_rss(mm);

	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", task->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n", rss << (PAGE_SHIFT - 10), 4UL);

	mmap_write_lock(mm);
	mm->total_vm = 1;
	mmap_write_unlock(mm);

	mmput(mm);
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
