// Exercise 4 - is a virtual address mapped, and where in physical memory
// Leila Karimi
//
// The physical address is in the page table entry: the entry holds the
// frame address in its upper bits and flags in the low 12 bits, so
// masking the low 12 bits off gives the frame's address.

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");

static int pid = 0;
module_param(pid, int, 0);
static unsigned long vaddr = 0;
module_param(vaddr, ulong, 0);

static int __init ex4_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;
	unsigned long frame_addr, phys;

	if (pid <= 0 || vaddr >= TASK_SIZE_MAX)
		return -EINVAL;

	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task)
		return -ESRCH;

	mm = get_task_mm(task);
	if (!mm) {            // kernel thread
		put_task_struct(task);
		return -EINVAL;
	}

	printk(KERN_INFO "LKM loaded\tPid: %d\tAddress: %lx\n", pid, vaddr);
	printk(KERN_INFO "Task: %s\n", task->comm);
	put_task_struct(task);

	mmap_read_lock(mm);

	pgd = pgd_offset(mm, vaddr);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		goto not_mapped;
	printk(KERN_INFO "Page Global Directory: %px\n", pgd);

	p4d = p4d_offset(pgd, vaddr);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		goto not_mapped;
	printk(KERN_INFO "Address of Page 4th Directory: %px\n", p4d);

	pud = pud_offset(p4d, vaddr);
	if (pud_none(*pud) || pud_bad(*pud))
		goto not_mapped;
	printk(KERN_INFO "Address of Page Upper Directory: %px\n", pud);

	pmd = pmd_offset(pud, vaddr);
	if (pmd_none(*pmd))
		goto not_mapped;
	printk(KERN_INFO "Address of Page Middle Directory: %px\n", pmd);

	if (pmd_large(*pmd)) {
		// 2 MiB page: the PMD entry holds the frame, low 21 bits are the offset
		frame_addr = pmd_val(*pmd) & PMD_MASK;
		phys = frame_addr | (vaddr & ~PMD_MASK);
		goto valid;
	}
	if (pmd_bad(*pmd))
		goto not_mapped;

	pte = pte_offset_map(pmd, vaddr);
	if (!pte_present(*pte)) {
		pte_unmap(pte);
		goto not_mapped;
	}
	printk(KERN_INFO "Address of Page Table Entry: %px\n", pte);
	frame_addr = pte_val(*pte) & PAGE_MASK;   // drop the flag bits
	phys = frame_addr | (vaddr & ~PAGE_MASK);
	pte_unmap(pte);

valid:
	printk(KERN_INFO "The address %lx is valid\n", vaddr);
	printk(KERN_INFO "Page Frame Number: %lx\n", frame_addr >> PAGE_SHIFT);
	printk(KERN_INFO "Physical Address: %lx\n", phys);
	mmap_read_unlock(mm);
	mmput(mm);
	return 0;

not_mapped:
	printk(KERN_INFO "The address %lx is not mapped\n", vaddr);
	mmap_read_unlock(mm);
	mmput(mm);
	return 0;
}

static void __exit ex4_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(ex4_init);
module_exit(ex4_exit);
