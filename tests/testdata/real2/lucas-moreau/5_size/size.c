/*
 * Lucas Moreau - Systemes d'exploitation, TP noyau
 * Partie 5 : taille de l'espace virtuel et de l'espace physique
 *
 * Printed in MB (two decimals), easier to compare with top.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>

static int proc_id;
module_param(proc_id, int, 0);
MODULE_PARM_DESC(proc_id, "pid");

/* KiB -> "MB.cc" */
#define MB_INT(kb)	((kb) >> 10)
#define MB_CENT(kb)	((((kb) & 1023) * 100) >> 10)

static int __init size_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long rss, vm;

	task = get_pid_task(find_get_pid(proc_id), PIDTYPE_PID);
	if (!task) {
		pr_err("size: no process %d\n", proc_id);
		return -ESRCH;
	}
	mm = get_task_mm(task);
	if (!mm) {
		pr_err("size: process %d has no user memory\n", proc_id);
		put_task_struct(task);
		return -EINVAL;
	}
	rss = get_mm_rss(mm) << (PAGE_SHIFT - 10);
	vm = mm->total_vm << (PAGE_SHIFT - 10);

	pr_info("Size of VAS & PAS LKM\tPid: %d\n", proc_id);
	pr_info("Task: %s\n", task->comm);
	pr_info("rss size: %lu.%02lu MB\tvm size: %lu.%02lu MB\n",
		MB_INT(rss), MB_CENT(rss), MB_INT(vm), MB_CENT(vm));
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
MODULE_LICENSE("GPL");
