#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/mm.h>
#include <linux/pid.h>

static int pid;
module_param(pid, int, 0);

int init_module(void)
{
	struct task_struct *task;
	struct vm_area_struct *vma;
	unsigned long vm = 0, rss;

	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (!task || !task->mm) {
		printk(KERN_ERR "lkm5: bad pid %d\n", pid);
		return -EINVAL;
	}
	for (vma = task->mm->mmap; vma; vma = vma->vm_next)
		vm += vma->vm_end - vma->vm_start;
	rss = get_mm_rss(task->mm) << PAGE_SHIFT;

	printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", pid);
	printk(KERN_INFO "Task: %s\n", task->comm);
	printk(KERN_INFO "rss side: %lu KiB\tvm size: %lu KiB\n", rss >> 10, vm >> 10);
	return 0;
}

void cleanup_module(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

MODULE_LICENSE("GPL");
