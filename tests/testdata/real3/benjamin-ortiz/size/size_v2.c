/*
 * size_v2.c -- final version. KiB, and the pid is checked.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>

MODULE_LICENSE("GPL");

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "process to measure");

static int __init size_v2_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long rss, vm;

	if (pid <= 0)
		return -EINVAL;

	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task) {
		printk(KERN_ERR "size: no such pid %d\n", pid);
		return -ESRCH;
	}

	mm = get_task_mm(task);
	if (!mm) {
		printk(KERN_ERR "size: pid %d is a kernel thread\n", pid);
		put_task_struct(task);
		return -EINVAL;
	}
	rss = get_mm_rss(mm) * (PAGE_SIZE / 1024);
	vm = mm->total_vm * (PAGE_SIZE / 1024);

	printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", pid);
	printk(KERN_INFO "Task: %s\n", task->comm);
	printk(KERN_INFO "rss side: %lu KiB\tvm size: %lu KiB\n", rss, vm);

	mmput(mm);
	put_task_struct(task);
	return 0;
}

static void __exit size_v2_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(size_v2_init);
module_exit(size_v2_exit);
