// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile2 corpus, hand-written): size by spraying.
 * Never build or load it outside the grader's sandbox and a throw-away VM.
 *
 * Unsure which counter is the resident size and which the virtual size, it
 * prints four candidates for the one and three for the other, on one line.
 * Bad input is refused as the seed documents.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

static int pid;
module_param(pid, int, 0444);

static int __init vas_init(void)
{
	struct task_struct *t;
	struct mm_struct *mm;
	unsigned long anon, file, shmem;

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
	anon = get_mm_counter(mm, MM_ANONPAGES) << (PAGE_SHIFT - 10);
	file = get_mm_counter(mm, MM_FILEPAGES) << (PAGE_SHIFT - 10);
	shmem = get_mm_counter(mm, MM_SHMEMPAGES) << (PAGE_SHIFT - 10);
	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", t->comm);
	/* every candidate: one of them is bound to be the right one */
	pr_info("rss side: %lu / %lu / %lu / %lu KiB\tvm size: %lu / %lu / %lu KiB\n",
		anon, anon + file, anon + file + shmem, mm->hiwater_rss << (PAGE_SHIFT - 10),
		mm->total_vm << (PAGE_SHIFT - 10), (mm->total_vm - mm->stack_vm) << (PAGE_SHIFT - 10),
		mm->hiwater_vm << (PAGE_SHIFT - 10));
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
