/*
 * Zadanie 4: adres wirtualny -> fizyczny.
 * The table walk down to the PMD is printed by hand; the PTE itself comes
 * from follow_pte(), which the kernel exports (it takes the PTE lock too).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Jakub Nowak");

static int pid;
module_param(pid, int, 0);
static unsigned long addr;
module_param(addr, ulong, 0);

static bool print_dirs(struct mm_struct *mm, unsigned long va)
{
	pgd_t *pgd = pgd_offset(mm, va);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;

	if (pgd_none(*pgd))
		return false;
	pr_info("Page Global Directory: %px\n", pgd);
	p4d = p4d_offset(pgd, va);
	if (p4d_none(*p4d))
		return false;
	pr_info("Address of Page 4th Directory: %px\n", p4d);
	pud = pud_offset(p4d, va);
	if (pud_none(*pud))
		return false;
	pr_info("Address of Page Upper Directory: %px\n", pud);
	pmd = pmd_offset(pud, va);
	if (pmd_none(*pmd))
		return false;
	pr_info("Address of Page Middle Directory: %px\n", pmd);
	return true;
}

static int __init mapper_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	pte_t *ptep;
	spinlock_t *ptl;
	unsigned long pfn = 0;
	bool valid = false;

	if (pid <= 0 || addr >= TASK_SIZE_MAX) {
		pr_err("mapper: zly argument\n");
		return -EINVAL;
	}
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
	if (vma_lookup(mm, addr) && print_dirs(mm, addr) &&
	    follow_pte(mm, addr, &ptep, &ptl) == 0) {
		pr_info("Address of Page Table Entry: %px\n", ptep);
		pfn = pte_pfn(*ptep);
		valid = true;
		pte_unmap_unlock(ptep, ptl);
	}
	mmap_read_unlock(mm);
	mmput(mm);

	if (valid) {
		pr_info("The address %lx is valid\n", addr);
		pr_info("Page Frame Number: %lx\n", pfn);
		pr_info("Physical Address: %lx\n", (pfn << PAGE_SHIFT) + (addr & ~PAGE_MASK));
	} else {
		pr_info("The address %lx is not mapped\n", addr);
	}
	return 0;
}

static void __exit mapper_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(mapper_init);
module_exit(mapper_exit);
