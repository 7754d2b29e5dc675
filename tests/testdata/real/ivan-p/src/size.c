#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/mm.h>
#include <linux/pid.h>

static int p_id;
module_param(p_id, int, 0);

static int __init size_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long vm, rss;

	task = pid_task(find_vpid(p_id), PIDTYPE_PID);
	if (task == NULL) {
		printk(KERN_ERR "size: process %d not found\n", p_id);
		return -ESRCH;
	}
	mm = task->mm;
	mmap_read_lock(mm);
	vm = mm->total_vm;
	mmap_read_unlock(mm);
	rss = get_mm_rss(mm);

	printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", p_id);
	printk(KERN_INFO "Task: %s\n", task->comm);
	printk(KERN_INFO "rss side: %lu KiB\tvm size: %lu KiB\n", rss * 4, vm * 4);
	return 0;
}

static void __exit size_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(size_init);
module_exit(size_exit);
MODULE_LICENSE("GPL");
