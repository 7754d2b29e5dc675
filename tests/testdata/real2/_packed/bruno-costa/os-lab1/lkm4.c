#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/mm.h>
#include <linux/pid.h>

static int target;
module_param(target, int, 0);
MODULE_PARM_DESC(target, "pid of the process");

static unsigned long vaddr;
module_param(vaddr, ulong, 0);
MODULE_PARM_DESC(vaddr, "virtual address to translate");

static int lkm4_walk(struct mm_struct *mm, unsigned long va, unsigned long *pa)
{
	pgd_t *pgd = pgd_offset(mm, va);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;

	if (pgd_none(*pgd) || pgd_bad(*pgd))
		return -1;
	pr_info("Page Global Directory: %px\n", pgd);
	p4d = p4d_offset(pgd, va);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		return -1;
	pr_info("Address of Page 4th Directory: %px\n", p4d);
	pud = pud_offset(p4d, va);
	if (pud_none(*pud) || pud_bad(*pud))
		return -1;
	pr_info("Address of Page Upper Directory: %px\n", pud);
	pmd = pmd_offset(pud, va);
	if (pmd_none(*pmd))
		return -1;
	pr_info("Address of Page Middle Directory: %px\n", pmd);
	if (pmd_leaf(*pmd)) {
		*pa = (pmd_pfn(*pmd) << PAGE_SHIFT) | (va & ~PMD_MASK);
		return 0;
	}
	if (pmd_bad(*pmd))
		return -1;
	pte = pte_offset_kernel(pmd, va);
	if (!pte_present(*pte))
		return -1;
	pr_info("Address of Page Table Entry: %px\n", pte);
	*pa = (pte_pfn(*pte) << PAGE_SHIFT) | (va & ~PAGE_MASK);
	return 0;
}

static int __init lkm4_start(void)
{
	struct task_struct *t;
	struct mm_struct *mm;
	unsigned long pa;
	int r;

	t = get_pid_task(find_get_pid(target), PIDTYPE_PID);
	if (!t) {
		pr_err("lkm4: pid %d not found\n", target);
		return -ESRCH;
	}
	mm = get_task_mm(t);
	if (!mm) {
		pr_err("lkm4: pid %d is a kernel thread\n", target);
		put_task_struct(t);
		return -EINVAL;
	}
	pr_info("LKM loaded\tPid: %d\tAddress: %lx\n", target, vaddr);
	pr_info("Task: %s\n", t->comm);

	mmap_read_lock(mm);
	r = vaddr < TASK_SIZE ? lkm4_walk(mm, vaddr, &pa) : -1;
	mmap_read_unlock(mm);

	if (r == 0) {
		pr_info("The address %lx is valid\n", vaddr);
		pr_info("Page Frame Number: %lx\n", pa >> PAGE_SHIFT);
		pr_info("Physical Address: %lx\n", pa);
	} else {
		pr_info("The address %lx is not mapped\n", vaddr);
	}
	mmput(mm);
	put_task_struct(t);
	return 0;
}

static void __exit lkm4_end(void)
{
	pr_info("lkm unloaded\n");
}

module_init(lkm4_start);
module_exit(lkm4_end);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Bruno Costa");
