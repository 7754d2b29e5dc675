/*
 * size.c -- v1 (lab session). Prints pages. See size_v2.c.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/mm.h>

MODULE_LICENSE("GPL");

static int pid;
module_param(pid, int, 0);

static int __init size_init(void)
{
	struct task_struct *task;

	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", pid);
	printk(KERN_INFO "Task: %s\n", task->comm);
	printk(KERN_INFO "rss side: %lu\tvm size: %lu\n", get_mm_rss(task->mm), task->mm->total_vm);
	return 0;
}

static void __exit size_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(size_init);
module_exit(size_exit);
