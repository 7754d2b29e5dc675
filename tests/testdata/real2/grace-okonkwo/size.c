#include <linux/module.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>

#define MAX_PIDS 8

static int pids[MAX_PIDS];
static int npids;
module_param_array(pids, int, &npids, 0);
MODULE_PARM_DESC(pids, "one or more process ids, comma separated");

static void show(int pid)
{
	struct task_struct *t;
	struct mm_struct *mm;

	t = get_pid_task(find_get_pid(pid), PIDTYPE_PID);
	if (!t) {
		pr_err("size: no process with pid %d\n", pid);
		return;
	}
	mm = get_task_mm(t);
	if (!mm) {
		pr_err("size: pid %d has no user address space\n", pid);
		put_task_struct(t);
		return;
	}
	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", t->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n",
		get_mm_rss(mm) << (PAGE_SHIFT - 10), mm->total_vm << (PAGE_SHIFT - 10));
	mmput(mm);
	put_task_struct(t);
}

static int __init size_init(void)
{
	int i;

	if (npids == 0) {
		pr_err("size: usage: insmod size.ko pids=PID[,PID...]\n");
		return -EINVAL;
	}
	for (i = 0; i < npids; i++)
		show(pids[i]);
	return 0;
}

static void __exit size_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(size_init);
module_exit(size_exit);
MODULE_LICENSE("GPL");
