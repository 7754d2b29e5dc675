// SPDX-License-Identifier: GPL-2.0
/*
 * vmas: counts the mappings (VMAs) of a process, found by pid.
 * The mappings change under the mmap lock, so the walk holds it for
 * reading.
 */
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>

static int pid;
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "the process whose mappings to count");

static int __init vmas_init(void)
{
	struct vm_area_struct *vma;
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *spid;
	int n = 0;

	if (pid <= 0)
		return -EINVAL;
	spid = find_get_pid(pid);
	task = get_pid_task(spid, PIDTYPE_PID);
	put_pid(spid);
	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm)
		return -EINVAL;
	mmap_read_lock(mm);
	for (vma = find_vma(mm, 0); vma; vma = find_vma(mm, vma->vm_end))
		n++;
	mmap_read_unlock(mm);
	mmput(mm);
	pr_info("vmas: pid %d has %d mappings\n", pid, n);
	return 0;
}

static void __exit vmas_exit(void)
{
	pr_info("vmas: unloaded\n");
}

module_init(vmas_init);
module_exit(vmas_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Counts a process's mappings (a locking fixture)");
