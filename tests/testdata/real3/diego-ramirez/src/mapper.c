#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/pgtable.h>

MODULE_LICENSE("GPL");

static int pid;
static unsigned long addr;
module_param(pid, int, 0644);
module_param(addr, ulong, 0644);

static int __init mapper_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;
	unsigned long pfn;
	int ret;

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

	pr_info("LKM loaded\tPid: %d\tAddress: %lx\n", pid, addr);
	pr_info("Task: %s\n", task->comm);
	put_task_struct(task);

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (!vma || addr < vma->vm_start)
		goto not_mapped;

	pgd = pgd_offset(mm, addr);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		goto not_mapped;
	pr_info("Page Global Directory: %px\n", pgd);
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		goto not_mapped;
	pr_info("Address of Page 4th Directory: %px\n", p4d);
	pud = pud_offset(p4d, addr);
	if (pud_none(*pud) || pud_bad(*pud))
		goto not_mapped;
	pr_info("Address of Page Upper Directory: %px\n", pud);
	pmd = pmd_offset(pud, addr);
	if (pmd_none(*pmd) || pmd_bad(*pmd))
		goto not_mapped;
	pr_info("Address of Page Middle Directory: %px\n", pmd);
	pte = pte_offset_kernel(pmd, addr);
	if (pte_none(*pte))
		goto not_mapped;
	pr_info("Address of Page Table Entry: %px\n", pte);

	/* the kernel already has a helper for the frame number */
	ret = follow_pfn(vma, addr, &pfn);
	if (ret)
		goto not_mapped;
	pr_info("The address %lx is valid\n", addr);
	pr_info("Page Frame Number: %lx\n", pfn);
	pr_info("Physical Address: %lx\n", (pfn << PAGE_SHIFT) | (addr & ~PAGE_MASK));
	mmap_read_unlock(mm);
	mmput(mm);
	return 0;

not_mapped:
	pr_info("The address %lx is not mapped\n", addr);
	mmap_read_unlock(mm);
	mmput(mm);
	return 0;
}

static void __exit mapper_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(mapper_init);
module_exit(mapper_exit);
