#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");

static int pid;
module_param(pid, int, 0);

/*
 * The process may not be there yet when the module is loaded (I start
 * the test program right after insmod in my script), so wait for it.
 */
static struct task_struct *wait_for_task(int nr)
{
	struct task_struct *task;

	for (;;) {
		rcu_read_lock();
		task = pid_task(find_vpid(nr), PIDTYPE_PID);
		if (task)
			get_task_struct(task);
		rcu_read_unlock();
		if (task)
			return task;
		msleep(100);
	}
}

static int __init lkm5_init(void)
{
	struct task_struct *task = wait_for_task(pid);
	struct mm_struct *mm = get_task_mm(task);

	if (!mm) {
		pr_err("lkm5: pid %d is a kernel thread\n", pid);
		put_task_struct(task);
		return -EINVAL;
	}
	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", task->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n",
		get_mm_rss(mm) << (PAGE_SHIFT - 10), mm->total_vm << (PAGE_SHIFT - 10));
	mmput(mm);
	put_task_struct(task);
	return 0;
}

static void __exit lkm5_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(lkm5_init);
module_exit(lkm5_exit);
