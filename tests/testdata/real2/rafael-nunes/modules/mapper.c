#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <asm/io.h>

static int pid;
static unsigned long addr;
module_param(pid, int, 0);
module_param(addr, ulong, 0);

static int __init mapper_init(void)
{
	struct task_struct *t;
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	struct page *page = NULL;

	t = get_pid_task(find_get_pid(pid), PIDTYPE_PID);
	if (!t)
		return -ESRCH;
	mm = get_task_mm(t);
	if (!mm) {
		put_task_struct(t);
		return -EINVAL;
	}
	pr_info("LKM loaded\tPid: %d\tAddress: %lx\n", pid, addr);
	pr_info("Task: %s\n", t->comm);
	pr_info("Page Global Directory: %px\n", pgd_offset(mm, addr));

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start <= addr)
		page = follow_page(vma, addr, 0);
	mmap_read_unlock(mm);

	if (page && !IS_ERR(page)) {
		pr_info("The address %lx is valid\n", addr);
		pr_info("Page Frame Number: %lx\n", page_to_pfn(page));
		pr_info("Physical Address: %lx\n", (unsigned long)page_to_phys(page) | (addr & ~PAGE_MASK));
	} else {
		pr_info("The address %lx is not mapped\n", addr);
	}
	mmput(mm);
	put_task_struct(t);
	return 0;
}

static void __exit mapper_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(mapper_init);
module_exit(mapper_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("Rafael Nunes");
