#include <linux/module.h>
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");

static int PID;
static unsigned long vaddr;
module_param(PID, int, 0);
MODULE_PARM_DESC(PID, "target process");
module_param(vaddr, ulong, 0);
MODULE_PARM_DESC(vaddr, "virtual address to translate");

static void translate(struct mm_struct *mm)
{
	pgd_t *pgd = pgd_offset(mm, vaddr);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;
	unsigned long pa;

	if (pgd_none(*pgd) || pgd_bad(*pgd))
		goto unmapped;
	pr_info("Page Global Directory: %px\n", pgd);
	p4d = p4d_offset(pgd, vaddr);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		goto unmapped;
	pr_info("Address of Page 4th Directory: %px\n", p4d);
	pud = pud_offset(p4d, vaddr);
	if (pud_none(*pud) || pud_bad(*pud))
		goto unmapped;
	pr_info("Address of Page Upper Directory: %px\n", pud);
	pmd = pmd_offset(pud, vaddr);
	if (pmd_none(*pmd) || !pmd_present(*pmd))
		goto unmapped;
	pr_info("Address of Page Middle Directory: %px\n", pmd);
	if (pmd_trans_huge(*pmd) || pmd_large(*pmd)) {
		pa = page_to_phys(pmd_page(*pmd)) + (vaddr & ~PMD_MASK);
		goto mapped;
	}
	pte = pte_offset_map(pmd, vaddr);
	if (!pte_present(*pte)) {
		pte_unmap(pte);
		goto unmapped;
	}
	pr_info("Address of Page Table Entry: %px\n", pte);
	pa = page_to_phys(pte_page(*pte)) + (vaddr & ~PAGE_MASK);
	pte_unmap(pte);
mapped:
	pr_info("The address %lx is valid\n", vaddr);
	pr_info("Page Frame Number: %lx\n", pa >> PAGE_SHIFT);
	pr_info("Physical Address: %lx\n", pa);
	return;
unmapped:
	pr_info("The address %lx is not mapped\n", vaddr);
}

static int __init start(void)
{
	struct task_struct *proc;
	struct mm_struct *mm;

	if (PID < 1)
		return -EINVAL;
	if (vaddr >= TASK_SIZE_MAX) {
		pr_err("task4: address %lx is outside user space\n", vaddr);
		return -EINVAL;
	}
	rcu_read_lock();
	proc = pid_task(find_vpid(PID), PIDTYPE_PID);
	if (proc)
		get_task_struct(proc);
	rcu_read_unlock();
	if (!proc)
		return -ESRCH;
	mm = get_task_mm(proc);
	if (!mm) {
		put_task_struct(proc);
		return -EINVAL;
	}
	pr_info("LKM loaded\tPid: %d\tAddress: %lx\n", PID, vaddr);
	pr_info("Task: %s\n", proc->comm);
	mmap_read_lock(mm);
	translate(mm);
	mmap_read_unlock(mm);
	mmput(mm);
	put_task_struct(proc);
	return 0;
}

static void __exit finish(void)
{
	pr_info("lkm unloaded\n");
}

module_init(start);
module_exit(finish);
