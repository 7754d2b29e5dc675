// SPDX-License-Identifier: GPL-2.0
/* Negative test variant of modules/size: reports the virtual size in pages, not KiB. */
/*
 * size: at load time, prints the size of the virtual address space
 * (VmSize) and of the resident set (VmRSS) of the process given by the
 * pid parameter.
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
#include <linux/sched/task.h>
#include <linux/version.h>

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "pid of the process to measure (required, > 0)");

/*
 * The resident set in pages, as /proc/<pid>/status counts VmRSS. Since 6.2
 * the counters are per-CPU and get_mm_rss() reads them approximately, so
 * sum them exactly; before, get_mm_rss() is exact.
 */
static unsigned long size_rss_pages(struct mm_struct *mm)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return percpu_counter_sum_positive(&mm->rss_stat[MM_FILEPAGES]) +
	       percpu_counter_sum_positive(&mm->rss_stat[MM_ANONPAGES]) +
	       percpu_counter_sum_positive(&mm->rss_stat[MM_SHMEMPAGES]);
#else
	return get_mm_rss(mm);
#endif
}

static int __init size_init(void)
{
	char comm[TASK_COMM_LEN];
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *spid;
	unsigned long rss, vm;

	if (pid <= 0) {
		pr_err("size: pid must be positive, got %d\n", pid);
		return -EINVAL;
	}

	/* Both lookups take a reference; each is dropped below. */
	spid = find_get_pid(pid);
	task = get_pid_task(spid, PIDTYPE_PID);
	put_pid(spid);
	if (!task) {
		pr_err("size: no process with pid %d\n", pid);
		return -ESRCH;
	}

	/* NULL for kernel threads (and for a task that is exiting). */
	mm = get_task_mm(task);
	if (!mm) {
		pr_err("size: pid %d is a kernel thread (no user address space)\n",
		       pid);
		put_task_struct(task);
		return -EINVAL;
	}
	get_task_comm(comm, task);
	put_task_struct(task);

	/* total_vm changes under the mmap write lock. */
	mmap_read_lock(mm);
	vm = mm->total_vm;
	mmap_read_unlock(mm);
	rss = size_rss_pages(mm);
	mmput(mm);

	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n",
		rss << (PAGE_SHIFT - 10), vm);

	return 0;
}

static void __exit size_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(size_init);
module_exit(size_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Prints the virtual and resident memory size of a process");
