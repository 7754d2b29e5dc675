#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/mm.h>
#include <linux/pid.h>

static int p_id;
static char *virtual_address;
module_param(p_id, int, 0);
module_param(virtual_address, charp, 0);

static int __init mapper_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long va = 0, pa = 0;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;

	if (virtual_address == NULL || sscanf(virtual_address, "%lx", &va) != 1) {
		printk(KERN_ERR "mapper: could not read virtual_address\n");
		return -EINVAL;
	}

	task = pid_task(find_vpid(p_id), PIDTYPE_PID);
	mm = task->mm;

	printk(KERN_INFO "LKM loaded\tPid: %d\tAddress: %lx\n", p_id, va);
	printk(KERN_INFO "Task: %s\n", task->comm);

	mmap_read_lock(mm);
	pgd = pgd_offset(mm, va);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		goto nope;
	printk(KERN_INFO "Page Global Directory: %px\n", pgd);
	p4d = p4d_offset(pgd, va);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		goto nope;
	printk(KERN_INFO "Address of Page 4th Directory: %px\n", p4d);
	pud = pud_offset(p4d, va);
	if (pud_none(*pud) || pud_bad(*pud))
		goto nope;
	printk(KERN_INFO "Address of Page Upper Directory: %px\n", pud);
	pmd = pmd_offset(pud, va);
	if (pmd_none(*pmd))
		goto nope;
	printk(KERN_INFO "Address of Page Middle Directory: %px\n", pmd);
	if (pmd_large(*pmd)) {
		pa = (pmd_val(*pmd) & PHYSICAL_PMD_PAGE_MASK) | (va & ~PMD_MASK);
	} else {
		if (pmd_bad(*pmd))
			goto nope;
		pte = pte_offset_map(pmd, va);
		if (!pte_present(*pte)) {
			pte_unmap(pte);
			goto nope;
		}
		printk(KERN_INFO "Address of Page Table Entry: %px\n", pte);
		pa = (pte_val(*pte) & PTE_PFN_MASK) | (va & ~PAGE_MASK);
		pte_unmap(pte);
	}
	printk(KERN_INFO "The address %lx is valid\n", va);
	printk(KERN_INFO "Page Frame Number: %lx\n", pa >> PAGE_SHIFT);
	printk(KERN_INFO "Physical Address: %lx\n", pa);
	mmap_read_unlock(mm);
	return 0;
nope:
	printk(KERN_INFO "The address %lx is not mapped\n", va);
	mmap_read_unlock(mm);
	return 0;
}

static void __exit mapper_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(mapper_init);
module_exit(mapper_exit);
MODULE_LICENSE("GPL");
