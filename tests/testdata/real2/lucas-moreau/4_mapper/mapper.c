/*
 * Lucas Moreau - Systemes d'exploitation, TP noyau
 * Partie 4 : adresse virtuelle -> adresse physique
 *
 *   insmod mapper.ko proc_id=<pid> vaddr=0x<adresse>
 *
 * insmod fails with EFAULT ("Bad address") when the address is not
 * mapped, so a script can tell from the exit status.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/mm.h>
#include <linux/pid.h>

static int proc_id;
static unsigned long vaddr;
module_param(proc_id, int, 0);
module_param(vaddr, ulong, 0);
MODULE_PARM_DESC(proc_id, "pid");
MODULE_PARM_DESC(vaddr, "virtual address");

static int __init mapper_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;
	unsigned long pfn, phys;

	rcu_read_lock();
	task = pid_task(find_vpid(proc_id), PIDTYPE_PID);
	rcu_read_unlock();

	pr_info("LKM loaded\tPid: %d\tAddress: %lx\n", proc_id, vaddr);
	pr_info("Task: %s\n", task->comm);

	mm = task->mm;
	if (!mm) {
		pr_err("mapper: %s is a kernel thread\n", task->comm);
		return -EINVAL;
	}

	pgd = pgd_offset(mm, vaddr);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		goto not_mapped;
	pr_info("Page Global Directory: %px\n", pgd);
	p4d = p4d_offset(pgd, vaddr);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		goto not_mapped;
	pr_info("Address of Page 4th Directory: %px\n", p4d);
	pud = pud_offset(p4d, vaddr);
	if (pud_none(*pud) || pud_bad(*pud))
		goto not_mapped;
	pr_info("Address of Page Upper Directory: %px\n", pud);
	pmd = pmd_offset(pud, vaddr);
	if (pmd_none(*pmd))
		goto not_mapped;
	pr_info("Address of Page Middle Directory: %px\n", pmd);
	if (pmd_large(*pmd)) {
		phys = (pmd_pfn(*pmd) << PAGE_SHIFT) + (vaddr & ~PMD_MASK);
		pfn = phys >> PAGE_SHIFT;
		goto valid;
	}
	if (pmd_bad(*pmd))
		goto not_mapped;
	pte = pte_offset_kernel(pmd, vaddr);
	if (!pte_present(*pte))
		goto not_mapped;
	pr_info("Address of Page Table Entry: %px\n", pte);
	pfn = pte_pfn(*pte);
	phys = (pfn << PAGE_SHIFT) + (vaddr & ~PAGE_MASK);
valid:
	pr_info("The address %lx is valid\n", vaddr);
	pr_info("Page Frame Number: %lx\n", pfn);
	pr_info("Physical Address: %lx\n", phys);
	return 0;

not_mapped:
	pr_info("The address %lx is not mapped\n", vaddr);
	return -EFAULT;
}

static void __exit mapper_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(mapper_init);
module_exit(mapper_exit);
MODULE_LICENSE("GPL");
