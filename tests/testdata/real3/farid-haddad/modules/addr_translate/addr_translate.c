/*
 * addr_translate: walk a process's page tables for one virtual address.
 *   insmod addr_translate.ko pid_num=<pid> va_hex=<address>
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Farid Haddad");

static pid_t pid_num;		/* pid_t is an int, module_param has no pid_t type */
module_param(pid_num, int, 0444);
MODULE_PARM_DESC(pid_num, "pid of the process");

static unsigned long long vaddr_in;
module_param_named(va_hex, vaddr_in, ullong, 0444);
MODULE_PARM_DESC(va_hex, "virtual address, e.g. 0x7ffc12345000");

static void report(unsigned long long pfn, unsigned long long phys)
{
	pr_info("The address %llx is valid\n", vaddr_in);
	pr_info("Page Frame Number: %llx\n", pfn);
	pr_info("Physical Address: %llx\n", phys);
}

static void walk(struct mm_struct *mm, unsigned long va)
{
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte, entry;

	if (!find_vma_intersection(mm, va, va + 1))
		goto none;

	pgd = pgd_offset(mm, va);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		goto none;
	pr_info("Page Global Directory: %px\n", pgd);

	p4d = p4d_offset(pgd, va);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		goto none;
	pr_info("Address of Page 4th Directory: %px\n", p4d);

	pud = pud_offset(p4d, va);
	if (pud_none(*pud) || !pud_present(*pud))
		goto none;
	pr_info("Address of Page Upper Directory: %px\n", pud);
	if (pud_leaf(*pud)) {
		report(pud_pfn(*pud) + ((va & ~PUD_MASK) >> PAGE_SHIFT),
		       ((unsigned long long)pud_pfn(*pud) << PAGE_SHIFT) + (va & ~PUD_MASK));
		return;
	}

	pmd = pmd_offset(pud, va);
	if (pmd_none(*pmd) || !pmd_present(*pmd))
		goto none;
	pr_info("Address of Page Middle Directory: %px\n", pmd);
	if (pmd_leaf(*pmd)) {
		report(pmd_pfn(*pmd) + ((va & ~PMD_MASK) >> PAGE_SHIFT),
		       ((unsigned long long)pmd_pfn(*pmd) << PAGE_SHIFT) + (va & ~PMD_MASK));
		return;
	}
	if (pmd_bad(*pmd))
		goto none;

	pte = pte_offset_map(pmd, va);
	entry = *pte;
	pte_unmap(pte);
	if (!pte_present(entry))
		goto none;
	pr_info("Address of Page Table Entry: %px\n", pte);
	report(pte_pfn(entry), ((unsigned long long)pte_pfn(entry) << PAGE_SHIFT) | (va & ~PAGE_MASK));
	return;
none:
	pr_info("The address %llx is not mapped\n", vaddr_in);
}

static int __init addr_translate_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;

	if (pid_num <= 0 || vaddr_in >= TASK_SIZE_MAX) {
		pr_err("addr_translate: bad pid_num=%d or va_hex=%llx\n", pid_num, vaddr_in);
		return -EINVAL;
	}
	task = get_pid_task(find_vpid(pid_num), PIDTYPE_PID);
	if (!task) {
		pr_err("addr_translate: no pid %d\n", pid_num);
		return -ESRCH;
	}
	mm = get_task_mm(task);
	if (!mm) {
		pr_err("addr_translate: pid %d has no mm\n", pid_num);
		put_task_struct(task);
		return -EINVAL;
	}

	pr_info("LKM loaded\tPid: %d\tAddress: %llx\n", pid_num, vaddr_in);
	pr_info("Task: %s\n", task->comm);
	put_task_struct(task);

	mmap_read_lock(mm);
	walk(mm, (unsigned long)vaddr_in);
	mmap_read_unlock(mm);
	mmput(mm);
	return 0;
}

static void __exit addr_translate_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(addr_translate_init);
module_exit(addr_translate_exit);
