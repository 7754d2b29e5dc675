// SPDX-License-Identifier: GPL-2.0
/* lkm4.c - virtual to physical address of a process, through its page tables. */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pgtable.h>
#include <linux/pid.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "process id (> 0)");

static char *addr;
module_param(addr, charp, 0);
MODULE_PARM_DESC(addr, "virtual address, hex with 0x");

static void lkm4_found(unsigned long va, unsigned long pa)
{
	pr_info("The address %lx is valid\n", va);
	pr_info("Page Frame Number: %lx\n", pa >> PAGE_SHIFT);
	pr_info("Physical Address: %lx\n", pa);
}

/* caller holds the mmap lock for reading */
static void lkm4_walk(struct mm_struct *mm, unsigned long va)
{
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *ptep, pte;

	pgd = pgd_offset(mm, va);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		goto none;
	pr_info("Page Global Directory: %px\n", pgd);

	p4d = p4d_offset(pgd, va);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		goto none;
	pr_info("Address of Page 4th Directory: %px\n", p4d);

	pud = pud_offset(p4d, va);
	if (pud_none(*pud))
		goto none;
	pr_info("Address of Page Upper Directory: %px\n", pud);
	if (pud_large(*pud)) {
		lkm4_found(va, (pud_pfn(*pud) << PAGE_SHIFT) + (va & ~PUD_MASK));
		return;
	}
	if (pud_bad(*pud))
		goto none;

	pmd = pmd_offset(pud, va);
	if (pmd_none(*pmd) || !pmd_present(*pmd))
		goto none;
	pr_info("Address of Page Middle Directory: %px\n", pmd);
	if (pmd_large(*pmd)) {
		lkm4_found(va, (pmd_pfn(*pmd) << PAGE_SHIFT) + (va & ~PMD_MASK));
		return;
	}
	if (pmd_bad(*pmd))
		goto none;

	ptep = pte_offset_map(pmd, va);
	pte = *ptep;
	if (!pte_present(pte)) {
		pte_unmap(ptep);
		goto none;
	}
	pr_info("Address of Page Table Entry: %px\n", ptep);
	pte_unmap(ptep);
	lkm4_found(va, (pte_pfn(pte) << PAGE_SHIFT) + (va & ~PAGE_MASK));
	return;
none:
	pr_info("The address %lx is not mapped\n", va);
}

static int __init lkm4_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *sp;
	unsigned long va;

	if (!addr || kstrtoul(addr, 0, &va)) {
		pr_err("lkm4: addr must be a hex address\n");
		return -EINVAL;
	}
	if (pid <= 0) {
		pr_err("lkm4: pid must be > 0\n");
		return -EINVAL;
	}
	if (va >= TASK_SIZE_MAX) {
		pr_err("lkm4: %lx is not a user address\n", va);
		return -EINVAL;
	}

	sp = find_get_pid(pid);
	task = get_pid_task(sp, PIDTYPE_PID);
	put_pid(sp);
	if (!task) {
		pr_err("lkm4: no process %d\n", pid);
		return -ESRCH;
	}
	mm = get_task_mm(task);
	if (!mm) {
		pr_err("lkm4: %d is a kernel thread\n", pid);
		put_task_struct(task);
		return -EINVAL;
	}

	pr_info("LKM loaded\tPid: %d\tAddress: %lx\n", pid, va);
	pr_info("Task: %s\n", task->comm);
	put_task_struct(task);

	mmap_read_lock(mm);
	lkm4_walk(mm, va);
	mmap_read_unlock(mm);
	mmput(mm);
	return 0;
}

static void __exit lkm4_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(lkm4_init);
module_exit(lkm4_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Keiko A.");
MODULE_DESCRIPTION("Virtual to physical address");
