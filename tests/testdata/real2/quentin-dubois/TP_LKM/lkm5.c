/* Exercise 5 - virtual to physical address (Quentin Dubois) */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>

static int pid;
static unsigned long addr;
module_param(pid, int, 0);
module_param(addr, ulong, 0);
MODULE_PARM_DESC(pid, "pid");
MODULE_PARM_DESC(addr, "virtual address");

static int __init ex5_init(void)
{
	struct task_struct *p;
	struct mm_struct *mm;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;
	unsigned long phys = 0;
	bool ok = false;

	if (pid <= 0 || addr >= TASK_SIZE_MAX)
		return -EINVAL;
	p = get_pid_task(find_get_pid(pid), PIDTYPE_PID);
	if (!p)
		return -ESRCH;
	mm = get_task_mm(p);
	if (!mm) {
		put_task_struct(p);
		return -EINVAL;
	}
	pr_info("LKM loaded\tPid: %d\tAddress: %lx\n", pid, addr);
	pr_info("Task: %s\n", p->comm);

	mmap_read_lock(mm);
	pgd = pgd_offset(mm, addr);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		goto out;
	pr_info("Page Global Directory: %px\n", pgd);
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		goto out;
	pr_info("Address of Page 4th Directory: %px\n", p4d);
	pud = pud_offset(p4d, addr);
	if (pud_none(*pud) || pud_bad(*pud))
		goto out;
	pr_info("Address of Page Upper Directory: %px\n", pud);
	pmd = pmd_offset(pud, addr);
	if (pmd_none(*pmd))
		goto out;
	pr_info("Address of Page Middle Directory: %px\n", pmd);
	if (pmd_large(*pmd)) {
		phys = (pmd_pfn(*pmd) << PAGE_SHIFT) + (addr & ~PMD_MASK);
		ok = true;
		goto out;
	}
	if (pmd_bad(*pmd))
		goto out;
	pte = pte_offset_kernel(pmd, addr);
	if (!pte_present(*pte))
		goto out;
	pr_info("Address of Page Table Entry: %px\n", pte);
	phys = (pte_pfn(*pte) << PAGE_SHIFT) + (addr & ~PAGE_MASK);
	ok = true;
out:
	mmap_read_unlock(mm);
	if (ok) {
		pr_info("The address %lx is valid\n", addr);
		pr_info("Page Frame Number: %lx\n", phys >> PAGE_SHIFT);
		pr_info("Physical Address: %lx\n", phys);
	} else {
		pr_info("The address %lx is not mapped\n", addr);
	}
	mmput(mm);
	put_task_struct(p);
	return 0;
}

static void __exit ex5_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(ex5_init);
module_exit(ex5_exit);
MODULE_LICENSE("GPL");
