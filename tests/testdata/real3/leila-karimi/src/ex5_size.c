// Exercise 5 - size of the virtual and physical address space of a process
// Leila Karimi

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");

static int pid = 0;
module_param(pid, int, 0);

static int __init ex5_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long rss_kb, vm_kb;

	if (pid <= 0)
		return -EINVAL;

	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task)
		return -ESRCH;

	mm = get_task_mm(task);
	if (!mm) {
		put_task_struct(task);
		return -EINVAL;
	}

	// both counters are in pages
	rss_kb = get_mm_rss(mm) * (PAGE_SIZE >> 10);
	vm_kb = mm->total_vm * (PAGE_SIZE >> 10);

	printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", pid);
	printk(KERN_INFO "Task: %s\n", task->comm);
	printk(KERN_INFO "rss side: %lu KiB\tvm size: %lu KiB\n", rss_kb, vm_kb);

	mmput(mm);
	put_task_struct(task);
	return 0;
}

static void __exit ex5_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(ex5_init);
module_exit(ex5_exit);
