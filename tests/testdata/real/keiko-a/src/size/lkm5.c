// SPDX-License-Identifier: GPL-2.0
/* lkm5.c - virtual (VmSize) and resident (VmRSS) size of a process, in KiB. */
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "process id (> 0)");

static int __init lkm5_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *sp;
	unsigned long vm, rss;

	if (pid <= 0) {
		pr_err("lkm5: pid must be > 0\n");
		return -EINVAL;
	}
	sp = find_get_pid(pid);
	task = get_pid_task(sp, PIDTYPE_PID);
	put_pid(sp);
	if (!task) {
		pr_err("lkm5: no process %d\n", pid);
		return -ESRCH;
	}
	mm = get_task_mm(task);
	if (!mm) {
		pr_err("lkm5: %d is a kernel thread\n", pid);
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

static void __exit lkm5_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(lkm5_init);
module_exit(lkm5_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Keiko A.");
MODULE_DESCRIPTION("VAS and PAS size");
