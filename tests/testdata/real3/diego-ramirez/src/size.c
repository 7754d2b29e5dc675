#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");

static int pid;
module_param(pid, int, 0644);

static int __init size_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;

	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task) {
		pr_err("size: pid %d not found\n", pid);
		return -ESRCH;
	}
	mm = get_task_mm(task);
	if (!mm) {
		/* no memory to measure */
		pr_err("size: pid %d has no memory\n", pid);
		put_task_struct(task);
		return -ENOMEM;
	}

	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", task->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n",
		get_mm_rss(mm) << (PAGE_SHIFT - 10), mm->total_vm << (PAGE_SHIFT - 10));
	mmput(mm);
	put_task_struct(task);
	return 0;
}

static void __exit size_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(size_init);
module_exit(size_exit);
