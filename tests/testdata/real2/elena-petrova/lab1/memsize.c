// Elena Petrova -- lab 1, task 5
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>

MODULE_LICENSE("Proprietary");
MODULE_AUTHOR("Elena Petrova");

static int pid;
module_param(pid, int, 0);

static int __init memsize_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;

	task = get_pid_task(find_get_pid(pid), PIDTYPE_PID);
	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	if (!mm) {
		put_task_struct(task);
		return -EINVAL;
	}
	printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", pid);
	printk(KERN_INFO "Task: %s\n", task->comm);
	printk(KERN_INFO "rss side: %lu KiB\tvm size: %lu KiB\n",
	       get_mm_rss(mm) << (PAGE_SHIFT - 10), mm->total_vm << (PAGE_SHIFT - 10));
	mmput(mm);
	put_task_struct(task);
	return 0;
}

static void __exit memsize_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(memsize_init);
module_exit(memsize_exit);
