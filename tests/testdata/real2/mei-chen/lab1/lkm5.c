#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Mei Chen");

static int pid;
module_param(pid, int, 0);

static int __init lkm5_init(void)
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
	printk(KERN_INFO "rss side: %lu KiB", get_mm_rss(mm) << (PAGE_SHIFT - 10));
	printk(KERN_CONT "\tvm size: %lu KiB\n", mm->total_vm << (PAGE_SHIFT - 10));
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
