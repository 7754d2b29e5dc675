#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Hana S.");

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "Process ID");

static int __init size_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long rss, vm;

	if (pid < 1) {
		pr_err("size: invalid pid %d\n", pid);
		return -EINVAL;
	}
	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task) {
		pr_err("size: pid %d does not exist\n", pid);
		return -ESRCH;
	}
	mm = get_task_mm(task);
	if (!mm) {
		pr_err("size: pid %d is a kernel thread\n", pid);
		put_task_struct(task);
		return -EINVAL;
	}
	rss = get_mm_rss(mm) << (PAGE_SHIFT - 10);
	vm = mm->total_vm << (PAGE_SHIFT - 10);
	mmput(mm);

	pr_info("Size of VAS & PAS LKM    Pid: %d\n", pid);
	pr_info("Task: %s\n", task->comm);
	pr_info("rss side: %lu KiB    vm size: %lu KiB\n", rss, vm);
	put_task_struct(task);
	return 0;
}

static void __exit size_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(size_init);
module_exit(size_exit);
