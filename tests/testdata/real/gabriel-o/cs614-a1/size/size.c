#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/pid.h>

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "pid of the process to measure");

static int __init size_init(void)
{
	struct pid *sp;
	struct task_struct *task;
	struct mm_struct *mm;

	if (pid <= 0) {
		pr_err("size: pid must be > 0\n");
		return -EINVAL;
	}
	sp = find_get_pid(pid);
	task = get_pid_task(sp, PIDTYPE_PID);
	put_pid(sp);
	if (!task) {
		pr_err("size: no process %d\n", pid);
		return -ESRCH;
	}
	mm = get_task_mm(task);
	if (!mm) {
		pr_err("size: process %d has no address space\n", pid);
		put_task_struct(task);
		return -EINVAL;
	}

	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", task->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n",
		get_mm_rss(mm) << (PAGE_SHIFT - 10), mm->total_vm << (PAGE_SHIFT - 10));
	put_task_struct(task);
	return 0;
}
module_init(size_init);

static void __exit size_exit(void)
{
	pr_info("lkm unloaded\n");
}
module_exit(size_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Gabriel O.");
