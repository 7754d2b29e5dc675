#include <linux/module.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "process id");

/* read as a string so the user can type the address the way /proc/PID/maps shows it */
static char addr[32];
module_param_string(addr, addr, sizeof(addr), 0);
MODULE_PARM_DESC(addr, "virtual address, in hex with 0x");

static unsigned long va;

static bool walk(struct mm_struct *mm, unsigned long *pfn, unsigned long *pa)
{
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;

	pgd = pgd_offset(mm, va);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		return false;
	pr_info("Page Global Directory: %px\n", pgd);
	p4d = p4d_offset(pgd, va);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		return false;
	pr_info("Address of Page 4th Directory: %px\n", p4d);
	pud = pud_offset(p4d, va);
	if (pud_none(*pud) || pud_bad(*pud))
		return false;
	pr_info("Address of Page Upper Directory: %px\n", pud);
	pmd = pmd_offset(pud, va);
	if (pmd_none(*pmd))
		return false;
	pr_info("Address of Page Middle Directory: %px\n", pmd);
	if (pmd_trans_huge(*pmd) || pmd_large(*pmd)) {
		*pfn = pmd_pfn(*pmd) + ((va & ~PMD_MASK) >> PAGE_SHIFT);
		*pa = (*pfn << PAGE_SHIFT) + (va & ~PAGE_MASK);
		return true;
	}
	if (pmd_bad(*pmd))
		return false;
	pte = pte_offset_map(pmd, va);
	if (!pte_present(*pte)) {
		pte_unmap(pte);
		return false;
	}
	pr_info("Address of Page Table Entry: %px\n", pte);
	*pfn = pte_pfn(*pte);
	*pa = (*pfn << PAGE_SHIFT) + (va & ~PAGE_MASK);
	pte_unmap(pte);
	return true;
}

static int __init mapper_init(void)
{
	struct task_struct *t;
	struct mm_struct *mm;
	unsigned long pfn, pa;
	bool found;

	if (kstrtoul(addr, 0, &va)) {
		pr_err("mapper: bad address '%s'\n", addr);
		return -EINVAL;
	}
	if (pid <= 0 || va >= TASK_SIZE_MAX) {
		pr_err("mapper: bad pid %d or address %lx\n", pid, va);
		return -EINVAL;
	}
	t = get_pid_task(find_get_pid(pid), PIDTYPE_PID);
	if (!t)
		return -ESRCH;
	mm = get_task_mm(t);
	if (!mm) {
		put_task_struct(t);
		return -EINVAL;
	}
	pr_info("LKM loaded\tPid: %d\tAddress: %lx\n", pid, va);
	pr_info("Task: %s\n", t->comm);
	mmap_read_lock(mm);
	found = walk(mm, &pfn, &pa);
	mmap_read_unlock(mm);
	if (found) {
		pr_info("The address %lx is valid\n", va);
		pr_info("Page Frame Number: %lx\n", pfn);
		pr_info("Physical Address: %lx\n", pa);
	} else {
		pr_info("The address %lx is not mapped\n", va);
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
