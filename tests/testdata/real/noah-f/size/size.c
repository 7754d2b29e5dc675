#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/version.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/pid.h>

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "pid of the process");

static int __init size_init(void)
{
	struct task_struct *t;
	struct mm_struct *mm;
	unsigned long vm, rss;

	if (pid <= 0) {
		pr_err("size: invalid pid %d\n", pid);
		return -EINVAL;
	}
	rcu_read_lock();
	t = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	if (!t) {
		pr_err("size: no process %d\n", pid);
		return -ESRCH;
	}
	mm = get_task_mm(t);
	if (!mm) {
		pr_err("size: process %d has no user memory\n", pid);
		put_task_struct(t);
		return -EINVAL;
	}
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
	mmap_read_lock(mm);
	vm = mm->total_vm;
	mmap_read_unlock(mm);
#else
	down_read(&mm->mmap_sem);
	vm = mm->total_vm;
	up_read(&mm->mmap_sem);
#endif
	rss = get_mm_rss(mm);
	mmput(mm);

	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", t->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n", rss * (PAGE_SIZE / 1024), vm * (PAGE_SIZE / 1024));
	put_task_struct(t);
	return 0;
}

static void __exit size_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(size_init);
module_exit(size_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Noah F.");
