#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Isabel Moreno");

/*
 * The heap is the VMA that starts at start_brk ([heap] in
 * /proc/pid/maps), so its size is vm_end - vm_start.
 */
static unsigned long heap_size(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	unsigned long size = 0;

	mmap_read_lock(mm);
	vma = find_vma(mm, mm->start_brk);
	if (vma && vma->vm_start == mm->start_brk)
		size = vma->vm_end - vma->vm_start;
	mmap_read_unlock(mm);
	return size;
}

static int __init lkm2_start(void)
{
	struct task_struct *task;
	unsigned long max = 0;
	pid_t max_pid = 0;

	printk(KERN_INFO "largest heap memory lkm loaded\n");
	for_each_process(task) {
		struct mm_struct *mm = get_task_mm(task);
		unsigned long size;

		if (!mm)
			continue;
		size = heap_size(mm);
		mmput(mm);
		if (size > max) {
			max = size;
			max_pid = task_pid_nr(task);
		}
	}
	printk(KERN_INFO "PID: %d has max heap usage with: %lu\n", max_pid, max);
	return 0;
}

static void __exit lkm2_end(void)
{
	printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

module_init(lkm2_start);
module_exit(lkm2_end);
