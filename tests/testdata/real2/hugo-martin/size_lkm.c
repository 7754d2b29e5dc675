#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Hugo Martin");

static int pid = 0;
module_param(pid, int, 0);

static int __init size_init(void)
{
	struct pid *p;
	struct task_struct *task;
	struct mm_struct *mm;

	if (pid <= 0) {
		printk(KERN_ERR "size_lkm: invalid pid %d\n", pid);
		return -EINVAL;
	}
	p = find_get_pid(pid);
	task = get_pid_task(p, PIDTYPE_PID);
	put_pid(p);
	if (task == NULL) {
		printk(KERN_ERR "size_lkm: process %d not found\n", pid);
		return ESRCH;
	}
	mm = get_task_mm(task);
	if (mm == NULL) {
		printk(KERN_ERR "size_lkm: process %d has no mm\n", pid);
		put_task_struct(task);
		return -EINVAL;
	}
	printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", pid);
	printk(KERN_INFO "Task: %s\n", task->comm);
	printk(KERN_INFO "rss side: %lu KiB\tvm size: %lu KiB\n",
	       get_mm_rss(mm) * 4, mm->total_vm * 4);
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
