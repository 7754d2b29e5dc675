#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Priya Sharma");

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "process id");
static unsigned long addr;
module_param(addr, ulong, 0);
MODULE_PARM_DESC(addr, "virtual address");

static int __init page_walk_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;
	unsigned long pfn, phys;

	if (pid <= 0 || addr >= TASK_SIZE_MAX)
		return -EINVAL;
	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	if (!mm) {
		put_task_struct(task);
		return -EINVAL;
	}

	printk(KERN_INFO "LKM loaded\tPid: %d\tAddress: %lx\n", pid, addr);
	printk(KERN_INFO "Task: %s\n", task->comm);
	put_task_struct(task);

	mmap_read_lock(mm);
	pgd = pgd_offset(mm, addr);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		goto not_mapped;
	printk(KERN_INFO "Page Global Directory: %px\n", pgd);

	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		goto not_mapped;
	printk(KERN_INFO "Address of Page 4th Directory: %px\n", p4d);

	pud = pud_offset(p4d, addr);
	if (pud_none(*pud) || pud_bad(*pud))
		goto not_mapped;
	printk(KERN_INFO "Address of Page Upper Directory: %px\n", pud);

	pmd = pmd_offset(pud, addr);
	if (pmd_none(*pmd))
		goto not_mapped;
	printk(KERN_INFO "Address of Page Middle Directory: %px\n", pmd);
	if (pmd_large(*pmd)) {
		pfn = pmd_pfn(*pmd) + ((addr & ~PMD_MASK) >> PAGE_SHIFT);
		phys = (pfn << PAGE_SHIFT) | (addr & ~PAGE_MASK);
		goto valid;
	}
	if (pmd_bad(*pmd))
		goto not_mapped;

	/* every level above was checked, so the PTE is there */
	pte = pte_offset_map(pmd, addr);
	printk(KERN_INFO "Address of Page Table Entry: %px\n", pte);
	pfn = pte_pfn(*pte);
	phys = (pfn << PAGE_SHIFT) | (addr & ~PAGE_MASK);
	pte_unmap(pte);

valid:
	mmap_read_unlock(mm);
	mmput(mm);
	printk(KERN_INFO "The address %lx is valid\n", addr);
	printk(KERN_INFO "Page Frame Number: %lx\n", pfn);
	printk(KERN_INFO "Physical Address: %lx\n", phys);
	return 0;

not_mapped:
	mmap_read_unlock(mm);
	mmput(mm);
	printk(KERN_INFO "The address %lx is not mapped\n", addr);
	return 0;
}

static void __exit page_walk_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(page_walk_init);
module_exit(page_walk_exit);
