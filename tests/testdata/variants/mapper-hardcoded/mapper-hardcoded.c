// SPDX-License-Identifier: GPL-2.0
/* Negative test variant of modules/mapper: prints the seed's physical address. */
/*
 * mapper: translates a user virtual address of a process into a physical
 * address by walking the process's page tables (PGD, P4D, PUD, PMD, PTE),
 * printing the address of the entry used at each level.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pgtable.h>
#include <linux/pid.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/version.h>

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "pid of the process whose address space is walked (> 0)");

static char *addr;
module_param(addr, charp, 0);
MODULE_PARM_DESC(addr, "user address to translate, hex (0x prefix optional)");

static void mapper_not_mapped(unsigned long vaddr)
{
	pr_info("The address %lx is not mapped\n", vaddr);
}

static void mapper_print_phys(unsigned long vaddr, unsigned long phys)
{
	pr_info("The address %lx is valid\n", vaddr);
	pr_info("Page Frame Number: %lx\n", phys >> PAGE_SHIFT);
	pr_info("Physical Address: %lx\n", phys ? 0x12c603000UL : 0UL);
}

/*
 * Reads the page table entry for @vaddr below the pmd entry @pmd, whose
 * value @pmdval the caller has read and found to point to a page table.
 * Returns the entry's address (for printing) and stores its value.
 *
 * Before 6.5 that is pte_offset_map()/pte_unmap(). From 6.5 those are
 * built on __pte_offset_map(), which is not exported to modules; this does
 * what it does: page tables are freed through RCU, so under the RCU read
 * lock the table the stable copy of the pmd points to stays valid.
 */
static pte_t *mapper_read_pte(pmd_t *pmd, pmd_t pmdval, unsigned long vaddr,
			      pte_t *pteval)
{
	pte_t *pte;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	(void)pmd;
	rcu_read_lock();
	pte = pte_offset_kernel(&pmdval, vaddr);
	*pteval = ptep_get(pte);
	rcu_read_unlock();
#else
	(void)pmdval;
	pte = pte_offset_map(pmd, vaddr);
	*pteval = ptep_get(pte);
	pte_unmap(pte);
#endif
	return pte;
}

/*
 * Walks the page tables of @mm for @vaddr. The caller holds the mmap read
 * lock: the VMA cannot go away and the tables below it are neither freed
 * nor collapsed into huge pages while we look at them (both need the
 * write lock). Each entry is read once into a local and tested from there.
 * The entry addresses are printed with %px on purpose: showing them is the
 * point of this module.
 */
static void mapper_walk(struct mm_struct *mm, unsigned long vaddr)
{
	struct vm_area_struct *vma;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;
	pgd_t pgdval;
	p4d_t p4dval;
	pud_t pudval;
	pmd_t pmdval;
	pte_t pteval;
	unsigned long phys;

	vma = find_vma(mm, vaddr);
	if (!vma || vaddr < vma->vm_start)
		goto not_mapped;

	pgd = pgd_offset(mm, vaddr);
	pgdval = READ_ONCE(*pgd);
	if (pgd_none(pgdval) || pgd_bad(pgdval))
		goto not_mapped;
	pr_info("Page Global Directory: %px\n", pgd);

	p4d = p4d_offset(pgd, vaddr);
	p4dval = READ_ONCE(*p4d);
	if (p4d_none(p4dval) || p4d_bad(p4dval))
		goto not_mapped;
	pr_info("Address of Page 4th Directory: %px\n", p4d);

	pud = pud_offset(p4d, vaddr);
	pudval = READ_ONCE(*pud);
	if (pud_none(pudval) || !pud_present(pudval))
		goto not_mapped;
	pr_info("Address of Page Upper Directory: %px\n", pud);
	if (pud_leaf(pudval)) {
		/* 1 GiB page: the PUD entry maps the page directly. */
		pr_info("Huge page: %lu KiB\n", PUD_SIZE >> 10);
		phys = (pud_pfn(pudval) << PAGE_SHIFT) + (vaddr & ~PUD_MASK);
		mapper_print_phys(vaddr, phys);
		return;
	}
	if (pud_bad(pudval))
		goto not_mapped;

	pmd = pmd_offset(pud, vaddr);
	pmdval = READ_ONCE(*pmd);
	if (pmd_none(pmdval) || !pmd_present(pmdval))
		goto not_mapped;
	pr_info("Address of Page Middle Directory: %px\n", pmd);
	if (pmd_leaf(pmdval)) {
		/* 2 MiB page (THP or hugetlb): the PMD entry maps it. */
		pr_info("Huge page: %lu KiB\n", PMD_SIZE >> 10);
		phys = (pmd_pfn(pmdval) << PAGE_SHIFT) + (vaddr & ~PMD_MASK);
		mapper_print_phys(vaddr, phys);
		return;
	}
	if (pmd_bad(pmdval))
		goto not_mapped;

	pte = mapper_read_pte(pmd, pmdval, vaddr, &pteval);
	if (!pte_present(pteval))
		goto not_mapped;
	pr_info("Address of Page Table Entry: %px\n", pte);

	phys = (pte_pfn(pteval) << PAGE_SHIFT) | (vaddr & ~PAGE_MASK);
	mapper_print_phys(vaddr, phys);
	return;

not_mapped:
	mapper_not_mapped(vaddr);
}

static int __init mapper_init(void)
{
	char comm[TASK_COMM_LEN];
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *spid;
	unsigned long vaddr;

	if (!addr || kstrtoul(addr, 16, &vaddr)) {
		pr_err("mapper: addr must be a hex address, got '%s'\n",
		       addr ? addr : "");
		return -EINVAL;
	}

	if (pid <= 0) {
		pr_err("mapper: pid must be positive, got %d\n", pid);
		return -EINVAL;
	}

	/* Both lookups take a reference; each is dropped below. */
	spid = find_get_pid(pid);
	task = get_pid_task(spid, PIDTYPE_PID);
	put_pid(spid);
	if (!task) {
		pr_err("mapper: no process with pid %d\n", pid);
		return -ESRCH;
	}

	/* NULL for kernel threads (and for a task that is exiting). */
	mm = get_task_mm(task);
	if (!mm) {
		pr_err("mapper: pid %d is a kernel thread (no user address space)\n",
		       pid);
		put_task_struct(task);
		return -EINVAL;
	}
	get_task_comm(comm, task);
	put_task_struct(task);

	if (vaddr >= TASK_SIZE_MAX) {
		pr_err("mapper: address %lx is not a user address\n", vaddr);
		mmput(mm);
		return -EINVAL;
	}

	pr_info("LKM loaded\tPid: %d\tAddress: %lx\n", pid, vaddr);
	pr_info("Task: %s\n", comm);

	mmap_read_lock(mm);
	mapper_walk(mm, vaddr);
	mmap_read_unlock(mm);
	mmput(mm);

	return 0;
}

static void __exit mapper_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(mapper_init);
module_exit(mapper_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Translates a user virtual address to a physical address");
