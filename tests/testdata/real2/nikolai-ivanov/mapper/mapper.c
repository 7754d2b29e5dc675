/*
 * mapper.c - walk the page tables of a process (Nikolai Ivanov)
 *
 * On my machine the P4D level is folded into the PGD (4-level paging: the
 * example output shows the same address for both), so its line is not
 * printed; the walk still goes through p4d_offset().
 * Like the example output, the physical address printed is the start of
 * the page frame (PFN << PAGE_SHIFT).
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>

static long pid;
module_param(pid, long, 0);
MODULE_PARM_DESC(pid, "target pid");

static unsigned long long addr;
module_param(addr, ullong, 0);
MODULE_PARM_DESC(addr, "virtual address");

static void report(unsigned long pfn)
{
	pr_info("The address 0x%llx is valid\n", addr);
	pr_info("Page Frame Number: 0x%lx\n", pfn);
	pr_info("Physical Address: 0x%lx\n", pfn << PAGE_SHIFT);
}

static void walk(struct mm_struct *mm, unsigned long va)
{
	pgd_t *pgd = pgd_offset(mm, va);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;

	if (pgd_none(*pgd) || pgd_bad(*pgd))
		goto none;
	pr_info("Page Global Directory: 0x%px\n", pgd);

	p4d = p4d_offset(pgd, va);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		goto none;

	pud = pud_offset(p4d, va);
	if (pud_none(*pud) || pud_bad(*pud))
		goto none;
	pr_info("Address of Page Upper Directory: 0x%px\n", pud);

	pmd = pmd_offset(pud, va);
	if (pmd_none(*pmd))
		goto none;
	pr_info("Address of Page Middle Directory: 0x%px\n", pmd);
	if (pmd_large(*pmd)) {	/* 2 MB page */
		report(pmd_pfn(*pmd));
		return;
	}

	pte = pte_offset_map(pmd, va);
	if (pte_none(*pte) || !pte_present(*pte)) {
		pte_unmap(pte);
		goto none;
	}
	pr_info("Address of Page Table Entry: 0x%px\n", pte);
	report(pte_pfn(*pte));
	pte_unmap(pte);
	return;
none:
	pr_info("The address 0x%llx is not mapped\n", addr);
}

static int __init mapper_init(void)
{
	struct task_struct *t;
	struct mm_struct *mm;

	if (pid <= 0 || addr >= TASK_SIZE_MAX)
		return -EINVAL;
	t = get_pid_task(find_get_pid(pid), PIDTYPE_PID);
	if (!t)
		return -ESRCH;
	mm = get_task_mm(t);
	if (!mm) {
		put_task_struct(t);
		return -EINVAL;
	}
	pr_info("LKM loaded\tPid: %ld\tAddress: 0x%llx\n", pid, addr);
	pr_info("Task: %s\n", t->comm);
	mmap_read_lock(mm);
	walk(mm, addr);
	mmap_read_unlock(mm);
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
MODULE_AUTHOR("Nikolai Ivanov");
