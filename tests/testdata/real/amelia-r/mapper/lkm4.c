#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Amelia R");
MODULE_DESCRIPTION("Virtual to physical address through the page tables");

static int pid = -1;
static unsigned long addr;
module_param(pid, int, 0);
module_param(addr, ulong, 0);

static int __init lkm4_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;
	unsigned long phys;

	if (pid <= 0) {
		printk(KERN_ERR "lkm4: invalid pid %d\n", pid);
		return -EINVAL;
	}
	if (addr >= TASK_SIZE_MAX) {
		printk(KERN_ERR "lkm4: %lx is not a user space address\n", addr);
		return -EINVAL;
	}

	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task) {
		printk(KERN_ERR "lkm4: no process with pid %d\n", pid);
		return -ESRCH;
	}

	mm = get_task_mm(task);
	if (!mm) {
		printk(KERN_ERR "lkm4: pid %d has no mm (kernel thread?)\n", pid);
		put_task_struct(task);
		return -EINVAL;
	}

	printk(KERN_INFO "LKM loaded\tPid: %d\tAddress: %lx\n", pid, addr);
	printk(KERN_INFO "Task: %s\n", task->comm);

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
		/* 2MB huge page, no page table below this level */
		phys = (pmd_pfn(*pmd) << PAGE_SHIFT) | (addr & ~PMD_MASK);
		goto valid;
	}
	if (pmd_bad(*pmd))
		goto not_mapped;

	pte = pte_offset_map(pmd, addr);
	if (!pte_present(*pte)) {
		pte_unmap(pte);
		goto not_mapped;
	}
	printk(KERN_INFO "Address of Page Table Entry: %px\n", pte);
	phys = (pte_pfn(*pte) << PAGE_SHIFT) | (addr & ~PAGE_MASK);
	pte_unmap(pte);

valid:
	printk(KERN_INFO "The address %lx is valid\n", addr);
	printk(KERN_INFO "Page Frame Number: %lx\n", phys >> PAGE_SHIFT);
	printk(KERN_INFO "Physical Address: %lx\n", phys);
	goto out;

not_mapped:
	printk(KERN_INFO "The address %lx is not mapped\n", addr);
out:
	mmap_read_unlock(mm);
	mmput(mm);
	put_task_struct(task);
	return 0;
}

static void __exit lkm4_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(lkm4_init);
module_exit(lkm4_exit);
