#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Marco Bianchi");

static int pid;
module_param(pid, int, 0);

static int __init size_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;

	if (pid <= 0)
		return -EINVAL;
	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	if (!mm) {
		put_task_struct(task);
		return -EINVAL;
	}
	/* name first, then the numbers */
	printk(KERN_INFO "Task: %s\n", task->comm);
	printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", pid);
	printk(KERN_INFO "rss side: %lu KiB\tvm size: %lu KiB\n",
	       get_mm_rss(mm) << (PAGE_SHIFT - 10), mm->total_vm << (PAGE_SHIFT - 10));
	mmput(mm);
	put_task_struct(task);
	return 0;
}

static void __exit size_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(size_init);
module_exit(size_exit);
