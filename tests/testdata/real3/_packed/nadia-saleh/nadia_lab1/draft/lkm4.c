#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>

MODULE_LICENSE("GPL");

static int pid;
static unsigned long addr;
module_param(pid, int, 0);
module_param(addr, ulong, 0);

static int __init lkm4_init(void)
{
	struct task_struct *t = pid_task(find_vpid(pid), PIDTYPE_PID);
	struct mm_struct *mm = t->mm;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;

	down_read(&mm->mmap_sem);
	pgd = pgd_offset(mm, addr);
	p4d = p4d_offset(pgd, addr);
	pud = pud_offset(p4d, addr);
	pmd = pmd_offset(pud, addr);
	pte = pte_offset_map(pmd, addr);
	printk(KERN_INFO "Physical Address: %lx\n", pte_pfn(*pte) << PAGE_SHIFT);
	up_read(&mm->mmap_sem);
	return 0;
}

static void __exit lkm4_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(lkm4_init);
module_exit(lkm4_exit);
