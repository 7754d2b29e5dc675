/* Pedro Alves - Trabalho 1 - parte 4: endereco virtual -> fisico */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/mm.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Pedro Alves");

static int pid;
static unsigned long addr;
module_param(pid, int, 0);
module_param(addr, ulong, 0);

static int __init mapper_init(void)
{
	struct task_struct *t;
	struct mm_struct *mm;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;
	unsigned long pfn;

	t = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (!t)
		return -ESRCH;
	mm = get_task_mm(t);
	if (!mm)
		return -EINVAL;

	printk(KERN_INFO "LKM loaded\tPid: %d\tAddress: %lx\n", pid, addr);
	printk(KERN_INFO "Task: %s\n", t->comm);

	down_read(&mm->mmap_sem);
	pgd = pgd_offset(mm, addr);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		goto nao_mapeado;
	printk(KERN_INFO "Page Global Directory: %px\n", pgd);
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		goto nao_mapeado;
	printk(KERN_INFO "Address of Page 4th Directory: %px\n", p4d);
	pud = pud_offset(p4d, addr);
	if (pud_none(*pud) || pud_bad(*pud))
		goto nao_mapeado;
	printk(KERN_INFO "Address of Page Upper Directory: %px\n", pud);
	pmd = pmd_offset(pud, addr);
	if (pmd_none(*pmd) || pmd_bad(*pmd))
		goto nao_mapeado;
	printk(KERN_INFO "Address of Page Middle Directory: %px\n", pmd);
	pte = pte_offset_map(pmd, addr);
	if (!pte_present(*pte)) {
		pte_unmap(pte);
		goto nao_mapeado;
	}
	printk(KERN_INFO "Address of Page Table Entry: %px\n", pte);
	pfn = pte_pfn(*pte);
	pte_unmap(pte);
	up_read(&mm->mmap_sem);

	printk(KERN_INFO "The address %lx is valid\n", addr);
	printk(KERN_INFO "Page Frame Number: %lx\n", pfn);
	printk(KERN_INFO "Physical Address: %lx\n", (pfn << PAGE_SHIFT) | (addr & ~PAGE_MASK));
	mmput(mm);
	return 0;

nao_mapeado:
	up_read(&mm->mmap_sem);
	printk(KERN_INFO "The address %lx is not mapped\n", addr);
	mmput(mm);
	return 0;
}

static void __exit mapper_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(mapper_init);
module_exit(mapper_exit);
