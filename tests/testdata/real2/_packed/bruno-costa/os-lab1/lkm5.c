#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/mm.h>
#include <linux/pid.h>

static int target;
module_param(target, int, 0);
MODULE_PARM_DESC(target, "pid of the process");

static int debug;
module_param(debug, int, 0644);
MODULE_PARM_DESC(debug, "1: also list the memory areas (VMAs)");

static void lkm5_dump_vmas(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, mm, 0);

	mmap_read_lock(mm);
	for_each_vma(vmi, vma)
		pr_info("  %lx-%lx %lu kB\n", vma->vm_start, vma->vm_end,
			(vma->vm_end - vma->vm_start) >> 10);
	mmap_read_unlock(mm);
}

static int __init lkm5_start(void)
{
	struct task_struct *t;
	struct mm_struct *mm;

	t = get_pid_task(find_get_pid(target), PIDTYPE_PID);
	if (!t) {
		pr_err("lkm5: pid %d not found\n", target);
		return -ESRCH;
	}
	mm = get_task_mm(t);
	if (!mm) {
		pr_err("lkm5: pid %d has no address space\n", target);
		put_task_struct(t);
		return -EINVAL;
	}
	pr_info("Size of VAS & PAS LKM\tPid: %d\n", target);
	pr_info("Task: %s\n", t->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n",
		get_mm_rss(mm) * (PAGE_SIZE / 1024), mm->total_vm * (PAGE_SIZE / 1024));
	if (debug)
		lkm5_dump_vmas(mm);
	mmput(mm);
	put_task_struct(t);
	return 0;
}

static void __exit lkm5_end(void)
{
	pr_info("lkm unloaded\n");
}

module_init(lkm5_start);
module_exit(lkm5_end);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Bruno Costa");
