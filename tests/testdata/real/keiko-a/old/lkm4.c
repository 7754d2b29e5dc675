/* first try at lkm4: no checks at all, prints garbage for unmapped addresses */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/pid.h>

static int pid;
static unsigned long addr;
module_param(pid, int, 0);
module_param(addr, ulong, 0);

static int __init lkm4_init(void)
{
	struct task_struct *t = pid_task(find_vpid(pid), PIDTYPE_PID);
	pgd_t *pgd = pgd_offset(t->mm, addr);
	p4d_t *p4d = p4d_offset(pgd, addr);
	pud_t *pud = pud_offset(p4d, addr);
	pmd_t *pmd = pmd_offset(pud, addr);
	pte_t *pte = pte_offset_kernel(pmd, addr);

	pr_info("Physical Address: %lx\n", pte_pfn(*pte) << PAGE_SHIFT);
	return 0;
}

static void __exit lkm4_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(lkm4_init);
module_exit(lkm4_exit);
MODULE_LICENSE("GPL");
