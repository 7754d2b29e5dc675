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

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Jonas B.");

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "process id");

static int __init lkm5_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long vm_pages, rss_pages;

	if (pid <= 0) {
		printk(KERN_ERR "lkm5: pid %d is not valid\n", pid);
		return -EINVAL;
	}
	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task) {
		printk(KERN_ERR "lkm5: no process %d\n", pid);
		return -ESRCH;
	}
	mm = get_task_mm(task);
	if (!mm) {
		printk(KERN_ERR "lkm5: %d is a kernel thread\n", pid);
		put_task_struct(task);
		return -EINVAL;
	}

#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 8, 0)
	down_read(&mm->mmap_sem);
	vm_pages = mm->total_vm;
	up_read(&mm->mmap_sem);
#else
	mmap_read_lock(mm);
	vm_pages = mm->total_vm;
	mmap_read_unlock(mm);
#endif
	rss_pages = get_mm_rss(mm);

	printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", pid);
	printk(KERN_INFO "Task: %s\n", task->comm);
	printk(KERN_INFO "rss side: %lu KiB\tvm size: %lu KiB\n",
	       rss_pages * (PAGE_SIZE >> 10), vm_pages * (PAGE_SIZE >> 10));
	mmput(mm);
	put_task_struct(task);
	return 0;
}

static void __exit lkm5_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(lkm5_init);
module_exit(lkm5_exit);
