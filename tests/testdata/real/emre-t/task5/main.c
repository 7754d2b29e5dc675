#include <linux/module.h>
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/version.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");

static int PID;
module_param(PID, int, 0);
MODULE_PARM_DESC(PID, "target process");

/* total size of all the VMAs of mm, in bytes */
static unsigned long vas_bytes(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	unsigned long total = 0;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma)
			total += vma->vm_end - vma->vm_start;
	}
#else
	for (vma = mm->mmap; vma; vma = vma->vm_next)
		total += vma->vm_end - vma->vm_start;
#endif
	return total;
}

static int __init start(void)
{
	struct task_struct *proc;
	struct mm_struct *mm;
	unsigned long vas, pas;

	if (PID < 1)
		return -EINVAL;
	rcu_read_lock();
	proc = pid_task(find_vpid(PID), PIDTYPE_PID);
	if (proc)
		get_task_struct(proc);
	rcu_read_unlock();
	if (!proc)
		return -ESRCH;
	mm = get_task_mm(proc);
	if (!mm) {
		put_task_struct(proc);
		return -EINVAL;
	}
	mmap_read_lock(mm);
	vas = vas_bytes(mm);
	mmap_read_unlock(mm);
	pas = get_mm_rss(mm) * PAGE_SIZE;

	pr_info("Size of VAS & PAS LKM\tPid: %d\n", PID);
	pr_info("Task: %s\n", proc->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n", pas / 1024, vas / 1024);
	mmput(mm);
	put_task_struct(proc);
	return 0;
}

static void __exit finish(void)
{
	pr_info("lkm unloaded\n");
}

module_init(start);
module_exit(finish);
