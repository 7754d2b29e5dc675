/*
 * exercise5/main.c - resident and virtual size of a process, in KiB.
 *
 *   insmod main.ko pid=1234
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/mm.h>
#include <linux/pid.h>

static int target_pid;
/* exposed as "pid", the variable keeps a clearer name */
module_param_named(pid, target_pid, int, 0444);
MODULE_PARM_DESC(pid, "pid of the process to measure");

int init_module(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long rss_pages;

	rcu_read_lock();
	task = pid_task(find_vpid(target_pid), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task) {
		printk(KERN_ERR "exercise5: no such process: %d\n", target_pid);
		return -ESRCH;
	}

	mm = get_task_mm(task);
	if (!mm) {
		printk(KERN_ERR "exercise5: %d has no memory map\n", target_pid);
		put_task_struct(task);
		return -EINVAL;
	}

	rss_pages = get_mm_counter(mm, MM_ANONPAGES) + get_mm_counter(mm, MM_FILEPAGES);

	printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", target_pid);
	printk(KERN_INFO "Task: %s\n", task->comm);
	printk(KERN_INFO "rss side: %lu KiB\tvm size: %lu KiB\n",
	       rss_pages * (PAGE_SIZE >> 10), mm->total_vm * (PAGE_SIZE >> 10));

	mmput(mm);
	put_task_struct(task);
	return 0;
}

void cleanup_module(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

MODULE_LICENSE("Dual MIT/GPL");
MODULE_AUTHOR("Daniel Park");
