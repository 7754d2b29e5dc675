// Elena Petrova -- lab 1, task 4: virtual to physical
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Elena Petrova");

static int pid;
static unsigned long addr;
module_param(pid, int, 0);
module_param(addr, ulong, 0);

static int __init vtop_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;
	unsigned long pfn = 0, phys = 0;
	int ok = 0;

	task = get_pid_task(find_get_pid(pid), PIDTYPE_PID);
	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	if (!mm) {
		put_task_struct(task);
		return -EINVAL;
	}

	printk(KERN_INFO "LKM loaded\tPid: %d\tAddress: %lx\n", pid, addr);
	printk(KERN_INFO "Task: %s\n", task->comm);

	mmap_read_lock(mm);
	pgd = pgd_offset(mm, addr);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		goto done;
	printk(KERN_INFO "Page Global Directory: %px\n", pgd);
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		goto done;
	printk(KERN_INFO "Address of Page 4th Directory: %px\n", p4d);
	pud = pud_offset(p4d, addr);
	if (pud_none(*pud) || pud_bad(*pud))
		goto done;
	printk(KERN_INFO "Address of Page Upper Directory: %px\n", pud);
	pmd = pmd_offset(pud, addr);
	if (pmd_none(*pmd))
		goto done;
	printk(KERN_INFO "Address of Page Middle Directory: %px\n", pmd);
	if (pmd_large(*pmd)) {
		pfn = pmd_pfn(*pmd) + ((addr & ~PMD_MASK) >> PAGE_SHIFT);
		phys = (pfn << PAGE_SHIFT) | (addr & ~PAGE_MASK);
		ok = 1;
		goto done;
	}
	if (pmd_bad(*pmd))
		goto done;
	pte = pte_offset_kernel(pmd, addr);
	if (!pte_present(*pte))
		goto done;
	printk(KERN_INFO "Address of Page Table Entry: %px\n", pte);
	pfn = pte_pfn(*pte);
	phys = (pfn << PAGE_SHIFT) | (addr & ~PAGE_MASK);
	ok = 1;
done:
	mmap_read_unlock(mm);

	if (ok) {
		printk(KERN_INFO "The address %lx is valid\n", addr);
		printk(KERN_INFO "Page Frame Number: %lu\n", pfn);
		printk(KERN_INFO "Physical Address: %lu\n", phys);
	} else {
		printk(KERN_INFO "The address %lx is not mapped\n", addr);
	}
	mmput(mm);
	put_task_struct(task);
	return 0;
}

static void __exit vtop_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(vtop_init);
module_exit(vtop_exit);
