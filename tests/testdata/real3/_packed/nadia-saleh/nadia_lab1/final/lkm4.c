#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Nadia Saleh");

static int pid;
static unsigned long addr;
module_param(pid, int, 0);
module_param(addr, ulong, 0);

static int __init lkm4_init(void)
{
	struct task_struct *t;
	struct mm_struct *mm;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte, val;
	unsigned long phys = 0;
	bool ok = false;

	if (pid <= 0 || addr >= TASK_SIZE_MAX)
		return -EINVAL;
	rcu_read_lock();
	t = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	if (!t)
		return -ESRCH;
	mm = get_task_mm(t);
	if (!mm) {
		put_task_struct(t);
		return -EINVAL;
	}
	pr_info("LKM loaded\tPid: %d\tAddress: %lx\n", pid, addr);
	pr_info("Task: %s\n", t->comm);
	put_task_struct(t);

	mmap_read_lock(mm);
	if (!vma_lookup(mm, addr))
		goto out;
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
	pte = pte_offset_map(pmd, addr);
	val = *pte;
	pte_unmap(pte);
	if (!pte_present(val))
		goto out;
	pr_info("Address of Page Table Entry: %px\n", pte);
	phys = (pte_pfn(val) << PAGE_SHIFT) | (addr & ~PAGE_MASK);
	ok = true;
out:
	mmap_read_unlock(mm);
	mmput(mm);
	if (ok) {
		pr_info("The address %lx is valid\n", addr);
		pr_info("Page Frame Number: %lx\n", phys >> PAGE_SHIFT);
		pr_info("Physical Address: %lx\n", phys);
	} else {
		pr_info("The address %lx is not mapped\n", addr);
	}
	return 0;
}

static void __exit lkm4_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(lkm4_init);
module_exit(lkm4_exit);
