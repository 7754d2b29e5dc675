/*
 * part5: virtual size and resident size of a process
 * Chen W.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Chen W.");

static int target_pid;
module_param(target_pid, int, 0444);
MODULE_PARM_DESC(target_pid, "Process ID");

static int __init size_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long rss_bytes, vsz_bytes;

	if (target_pid <= 0) {
		printk(KERN_ERR "size: target_pid must be > 0\n");
		return -EINVAL;
	}
	rcu_read_lock();
	task = pid_task(find_vpid(target_pid), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task) {
		printk(KERN_ERR "size: pid %d not found\n", target_pid);
		return -ESRCH;
	}
	mm = get_task_mm(task);
	if (!mm) {
		printk(KERN_ERR "size: pid %d is a kernel thread\n", target_pid);
		put_task_struct(task);
		return -EINVAL;
	}

	rss_bytes = get_mm_rss(mm) << PAGE_SHIFT;
	vsz_bytes = mm->total_vm << PAGE_SHIFT;
	printk(KERN_INFO "Process %d (%s): RSS = %lu MB, VSZ = %lu MB\n",
	       target_pid, task->comm, rss_bytes >> 20, vsz_bytes >> 20);

	mmput(mm);
	put_task_struct(task);
	return 0;
}

static void __exit size_exit(void)
{
	printk(KERN_INFO "size module removed\n");
}

module_init(size_init);
module_exit(size_exit);
