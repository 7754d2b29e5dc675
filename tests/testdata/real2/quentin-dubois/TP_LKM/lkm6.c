/* Exercise 6 - size of the virtual and physical address space (Quentin Dubois) */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "pid");

static int __init ex6_init(void)
{
	struct task_struct *p;
	struct mm_struct *mm;

	if (pid <= 0)
		return -EINVAL;
	p = get_pid_task(find_get_pid(pid), PIDTYPE_PID);
	if (!p)
		return -ESRCH;
	mm = get_task_mm(p);
	if (!mm) {
		put_task_struct(p);
		return -EINVAL;
	}
	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", p->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n",
		get_mm_rss(mm) << (PAGE_SHIFT - 10), mm->total_vm << (PAGE_SHIFT - 10));
	mmput(mm);
	put_task_struct(p);
	return 0;
}

static void __exit ex6_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(ex6_init);
module_exit(ex6_exit);
MODULE_LICENSE("GPL");
