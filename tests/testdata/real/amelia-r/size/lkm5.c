#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Amelia R");
MODULE_DESCRIPTION("Size of virtual and physical address space of a process");

static int pid = -1;
module_param(pid, int, 0);

static int __init lkm5_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long rss_kb, vm_kb;

	if (pid <= 0) {
		printk(KERN_ERR "lkm5: invalid pid %d\n", pid);
		return -EINVAL;
	}

	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task) {
		printk(KERN_ERR "lkm5: no process with pid %d\n", pid);
		return -ESRCH;
	}

	mm = get_task_mm(task);
	if (!mm) {
		printk(KERN_ERR "lkm5: pid %d has no address space\n", pid);
		put_task_struct(task);
		return -EINVAL;
	}

	/* resident pages are the anonymous pages the process touched */
	rss_kb = get_mm_counter(mm, MM_ANONPAGES) << (PAGE_SHIFT - 10);
	vm_kb = mm->total_vm << (PAGE_SHIFT - 10);

	printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", pid);
	printk(KERN_INFO "Task: %s\n", task->comm);
	printk(KERN_INFO "rss side: %lu KiB\tvm size: %lu KiB\n", rss_kb, vm_kb);

	mmput(mm);
	put_task_struct(task);
	return 0;
}

static void __exit lkm5_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(lkm5_init);
module_exit(lkm5_exit);
