// SPDX-License-Identifier: GPL-2.0
/*
 * size.c - Sofia Lindqvist, lab 1: resident and virtual size of a process
 *
 * The virtual size is the sum of the sizes of the memory areas (VMAs),
 * the resident size the three RSS counters (anonymous, file, shmem).
 */
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

static int pid;
module_param(pid, int, 0400);
MODULE_PARM_DESC(pid, "process to measure");

static unsigned long vas_bytes(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	unsigned long total = 0;
	VMA_ITERATOR(vmi, mm, 0);

	mmap_read_lock(mm);
	for_each_vma(vmi, vma)
		total += vma->vm_end - vma->vm_start;
	mmap_read_unlock(mm);
	return total;
}

static int __init size_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long rss_pages;

	if (pid < 1)
		return -EINVAL;
	task = get_pid_task(find_get_pid(pid), PIDTYPE_PID);
	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	if (!mm) {
		put_task_struct(task);
		return -EINVAL;
	}
	rss_pages = get_mm_counter(mm, MM_ANONPAGES) + get_mm_counter(mm, MM_FILEPAGES) +
		    get_mm_counter(mm, MM_SHMEMPAGES);

	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", task->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n", rss_pages << (PAGE_SHIFT - 10),
		vas_bytes(mm) >> 10);
	mmput(mm);
	put_task_struct(task);
	return 0;
}
module_init(size_init);

static void __exit size_exit(void)
{
	pr_info("lkm unloaded\n");
}
module_exit(size_exit);

MODULE_LICENSE("GPL");
