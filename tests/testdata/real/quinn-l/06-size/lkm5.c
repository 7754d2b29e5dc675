#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/pid.h>

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "process");

static int __init lkm5_init(void)
{
	struct task_struct *t;
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	unsigned long vm = 0, rss;

	if (pid <= 0) {
		pr_err("lkm5: bad pid\n");
		return -EINVAL;
	}
	rcu_read_lock();
	t = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	if (!t) {
		pr_err("lkm5: no such process\n");
		return -ESRCH;
	}
	mm = get_task_mm(t);
	if (!mm) {
		pr_err("lkm5: kernel thread\n");
		put_task_struct(t);
		return -EINVAL;
	}

	mmap_read_lock(mm);
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma)
			vm += vma->vm_end - vma->vm_start;
	}
	mmap_read_unlock(mm);
	rss = get_mm_rss(mm) << PAGE_SHIFT;
	mmput(mm);

	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", t->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n", rss >> 10, vm >> 10);
	put_task_struct(t);
	return 0;
}

static void __exit lkm5_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(lkm5_init);
module_exit(lkm5_exit);
MODULE_LICENSE("GPL");
