// SPDX-License-Identifier: GPL-2.0
/*
 * mapper.c - translate a user virtual address of a process into a
 * physical address by walking the process's page tables by hand.
 *
 * Henrik Larsen, OS lab 1, task 4.
 *
 * Usage:
 *     sudo insmod mapper.ko pid=<pid> addr=<hex address>
 *     sudo dmesg | tail
 *     sudo rmmod mapper
 *
 * Overview
 * --------
 * x86-64 with 4-level paging splits a 48-bit virtual address like this:
 *
 *     47      39 38      30 29      21 20      12 11         0
 *    +----------+----------+----------+----------+------------+
 *    | PGD idx  | PUD idx  | PMD idx  | PTE idx  |   offset   |
 *    +----------+----------+----------+----------+------------+
 *
 * (the P4D level exists in the code but is folded into the PGD when
 * the CPU runs with 4 levels: p4d_offset() returns the pgd entry itself,
 * which is why the handout's sample prints the same address twice.)
 *
 * At every level the entry is either
 *   - none (nothing mapped below it): the address is not mapped;
 *   - a pointer to the next table: go down one level;
 *   - a leaf (only PUD and PMD can be leaves on x86-64): a 1 GiB or
 *     2 MiB page maps the address directly and the walk stops there.
 * At the bottom, the PTE is either present (its PFN is the frame) or
 * not (never touched, swapped out, or a migration entry): in each of
 * those cases the address has no frame right now, so it is not mapped.
 *
 * Locking
 * -------
 * The walk runs under mmap_read_lock(): the VMA tree cannot change, and
 * page tables are only freed (munmap) or collapsed (khugepaged) under the
 * write lock, so the tables we step through stay put. Every entry is read
 * once with READ_ONCE() into a local copy, and all the tests are done on
 * the copy: the hardware may set accessed/dirty bits under us, and a
 * page fault in another thread may fill an empty entry, but never the
 * other way round while we hold the lock.
 *
 * Output
 * ------
 * The format follows the handout exactly. Extra details (entry values,
 * decoded flags) go through pr_debug(), which is silent unless dynamic
 * debug is switched on for this module:
 *     echo 'module mapper +p' | sudo tee /sys/kernel/debug/dynamic_debug/control
 *
 * Bad input
 * ---------
 * pid <= 0, a pid without a process, a kernel thread (no mm), and an
 * address outside user space are all refused with an errno before
 * anything is printed, so insmod fails and nothing stays loaded.
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
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Henrik Larsen");
MODULE_DESCRIPTION("Virtual to physical address through the page tables");

/* ------------------------------------------------------------------ */
/* Parameters                                                          */
/* ------------------------------------------------------------------ */

static int pid;
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "pid of the process whose address space is walked");

static unsigned long addr;
module_param(addr, ulong, 0444);
MODULE_PARM_DESC(addr, "user virtual address to translate (0x... accepted)");

/* ------------------------------------------------------------------ */
/* Result of a walk                                                    */
/* ------------------------------------------------------------------ */

/*
 * What the walk found. level_reached says how far down it got, for the
 * debug output only; the three result fields are valid when mapped is
 * true.
 */
enum walk_level {
	LEVEL_NONE = 0,
	LEVEL_PGD,
	LEVEL_P4D,
	LEVEL_PUD,
	LEVEL_PMD,
	LEVEL_PTE,
};

struct walk_result {
	bool mapped;
	enum walk_level level_reached;
	unsigned long pfn;		/* frame of the 4 KiB page holding addr */
	phys_addr_t phys;		/* physical address of addr itself */
	unsigned long page_size;	/* 4 KiB, 2 MiB or 1 GiB */
};

static const char *const level_names[] = {
	[LEVEL_NONE] = "none",
	[LEVEL_PGD] = "PGD",
	[LEVEL_P4D] = "P4D",
	[LEVEL_PUD] = "PUD",
	[LEVEL_PMD] = "PMD",
	[LEVEL_PTE] = "PTE",
};

/* ------------------------------------------------------------------ */
/* Debug helpers (pr_debug only)                                       */
/* ------------------------------------------------------------------ */

/*
 * Decodes the low flag bits every x86 table entry shares. Only used for
 * pr_debug, so the cost does not matter.
 */
static void debug_flags(const char *level, unsigned long val)
{
	pr_debug("mapper: %s entry %016lx:%s%s%s%s%s%s%s%s\n", level, val,
		 (val & _PAGE_PRESENT) ? " present" : " not-present",
		 (val & _PAGE_RW) ? " rw" : " ro",
		 (val & _PAGE_USER) ? " user" : " kernel",
		 (val & _PAGE_PWT) ? " pwt" : "",
		 (val & _PAGE_PCD) ? " pcd" : "",
		 (val & _PAGE_ACCESSED) ? " accessed" : "",
		 (val & _PAGE_DIRTY) ? " dirty" : "",
		 (val & _PAGE_PSE) ? " pse(leaf)" : "");
}

static void debug_indexes(unsigned long va)
{
	pr_debug("mapper: va %016lx: pgd %lu p4d %lu pud %lu pmd %lu pte %lu off %lu\n",
		 va, pgd_index(va), p4d_index(va), pud_index(va), pmd_index(va),
		 pte_index(va), va & ~PAGE_MASK);
}

/* ------------------------------------------------------------------ */
/* Printing in the handout's format                                    */
/* ------------------------------------------------------------------ */

static void print_header(const char *comm, unsigned long va)
{
	pr_info("LKM loaded\tPid: %d\tAddress: %lx\n", pid, va);
	pr_info("Task: %s\n", comm);
}

static void print_valid(unsigned long va, const struct walk_result *r)
{
	pr_info("The address %lx is valid\n", va);
	pr_info("Page Frame Number: %lx\n", r->pfn);
	pr_info("Physical Address: %llx\n", (unsigned long long)r->phys);
}

static void print_not_mapped(unsigned long va)
{
	pr_info("The address %lx is not mapped\n", va);
}

/* ------------------------------------------------------------------ */
/* Leaves                                                              */
/* ------------------------------------------------------------------ */

/*
 * A 1 GiB page: the PUD entry is the leaf. The frame of the 4 KiB page
 * holding va is the leaf's first frame plus the 4 KiB pages before va
 * inside the 1 GiB page.
 */
static void leaf_pud(pud_t pudval, unsigned long va, struct walk_result *r)
{
	unsigned long in_page = va & ~PUD_MASK;

	r->mapped = true;
	r->page_size = PUD_SIZE;
	r->pfn = pud_pfn(pudval) + (in_page >> PAGE_SHIFT);
	r->phys = ((phys_addr_t)pud_pfn(pudval) << PAGE_SHIFT) + in_page;
}

/* A 2 MiB page (transparent huge page or hugetlbfs): same at the PMD. */
static void leaf_pmd(pmd_t pmdval, unsigned long va, struct walk_result *r)
{
	unsigned long in_page = va & ~PMD_MASK;

	r->mapped = true;
	r->page_size = PMD_SIZE;
	r->pfn = pmd_pfn(pmdval) + (in_page >> PAGE_SHIFT);
	r->phys = ((phys_addr_t)pmd_pfn(pmdval) << PAGE_SHIFT) + in_page;
}

/* An ordinary 4 KiB page. */
static void leaf_pte(pte_t pteval, unsigned long va, struct walk_result *r)
{
	r->mapped = true;
	r->page_size = PAGE_SIZE;
	r->pfn = pte_pfn(pteval);
	r->phys = ((phys_addr_t)pte_pfn(pteval) << PAGE_SHIFT) | (va & ~PAGE_MASK);
}

/* ------------------------------------------------------------------ */
/* The walk, one function per level                                    */
/* ------------------------------------------------------------------ */

static void walk_pte(pmd_t *pmd, unsigned long va, struct walk_result *r)
{
	pte_t *pte;
	pte_t pteval;

	/* pte_offset_map: on x86-64 there is no highmem, map/unmap are free */
	pte = pte_offset_map(pmd, va);
	pteval = READ_ONCE(*pte);
	pte_unmap(pte);
	debug_flags("PTE", pte_val(pteval));

	if (pte_none(pteval) || !pte_present(pteval))
		return;		/* never touched, or swapped out */
	r->level_reached = LEVEL_PTE;
	pr_info("Address of Page Table Entry: %px\n", pte);
	leaf_pte(pteval, va, r);
}

static void walk_pmd(pud_t *pud, unsigned long va, struct walk_result *r)
{
	pmd_t *pmd = pmd_offset(pud, va);
	pmd_t pmdval = READ_ONCE(*pmd);

	debug_flags("PMD", pmd_val(pmdval));
	if (pmd_none(pmdval) || !pmd_present(pmdval))
		return;
	r->level_reached = LEVEL_PMD;
	pr_info("Address of Page Middle Directory: %px\n", pmd);

	/* the leaf test must come before pmd_bad(): a leaf looks "bad" */
	if (pmd_leaf(pmdval)) {
		leaf_pmd(pmdval, va, r);
		return;
	}
	if (pmd_bad(pmdval))
		return;
	walk_pte(pmd, va, r);
}

static void walk_pud(p4d_t *p4d, unsigned long va, struct walk_result *r)
{
	pud_t *pud = pud_offset(p4d, va);
	pud_t pudval = READ_ONCE(*pud);

	debug_flags("PUD", pud_val(pudval));
	if (pud_none(pudval) || !pud_present(pudval))
		return;
	r->level_reached = LEVEL_PUD;
	pr_info("Address of Page Upper Directory: %px\n", pud);

	if (pud_leaf(pudval)) {
		leaf_pud(pudval, va, r);
		return;
	}
	if (pud_bad(pudval))
		return;
	walk_pmd(pud, va, r);
}

static void walk_p4d(pgd_t *pgd, unsigned long va, struct walk_result *r)
{
	p4d_t *p4d = p4d_offset(pgd, va);
	p4d_t p4dval = READ_ONCE(*p4d);

	debug_flags("P4D", p4d_val(p4dval));
	if (p4d_none(p4dval) || p4d_bad(p4dval))
		return;
	r->level_reached = LEVEL_P4D;
	pr_info("Address of Page 4th Directory: %px\n", p4d);
	walk_pud(p4d, va, r);
}

static void walk_pgd(struct mm_struct *mm, unsigned long va, struct walk_result *r)
{
	pgd_t *pgd = pgd_offset(mm, va);
	pgd_t pgdval = READ_ONCE(*pgd);

	debug_indexes(va);
	debug_flags("PGD", pgd_val(pgdval));
	if (pgd_none(pgdval) || pgd_bad(pgdval))
		return;
	r->level_reached = LEVEL_PGD;
	pr_info("Page Global Directory: %px\n", pgd);
	walk_p4d(pgd, va, r);
}

/*
 * The whole walk. A VMA must cover va first: page tables can hold stale
 * entries for nothing else, but an address outside every VMA is not part
 * of the address space, whatever the tables say.
 */
static void walk(struct mm_struct *mm, unsigned long va, struct walk_result *r)
{
	struct vm_area_struct *vma;

	memset(r, 0, sizeof(*r));
	vma = vma_lookup(mm, va);
	if (!vma) {
		pr_debug("mapper: %lx is in no VMA\n", va);
		return;
	}
	pr_debug("mapper: VMA %lx-%lx flags %lx\n", vma->vm_start, vma->vm_end, vma->vm_flags);
	walk_pgd(mm, va, r);
	pr_debug("mapper: walk stopped at %s, mapped=%d, page %lu KiB\n",
		 level_names[r->level_reached], r->mapped, r->page_size >> 10);
}

/* ------------------------------------------------------------------ */
/* Finding the process                                                 */
/* ------------------------------------------------------------------ */

/*
 * Returns the mm of the process with the given pid, with a reference the
 * caller drops with mmput(), and its name in comm; or an ERR_PTR:
 *   -EINVAL  pid <= 0, or a kernel thread (no mm);
 *   -ESRCH   no process with that pid.
 */
static struct mm_struct *mm_of_pid(int nr, char *comm)
{
	struct pid *p;
	struct task_struct *task;
	struct mm_struct *mm;

	if (nr <= 0)
		return ERR_PTR(-EINVAL);

	p = find_get_pid(nr);
	task = get_pid_task(p, PIDTYPE_PID);
	put_pid(p);
	if (!task)
		return ERR_PTR(-ESRCH);

	mm = get_task_mm(task);		/* NULL for kernel threads */
	__get_task_comm(comm, TASK_COMM_LEN, task);
	put_task_struct(task);
	if (!mm)
		return ERR_PTR(-EINVAL);
	return mm;
}

/* ------------------------------------------------------------------ */
/* Module entry points                                                 */
/* ------------------------------------------------------------------ */

static int __init mapper_init(void)
{
	char comm[TASK_COMM_LEN];
	struct walk_result r;
	struct mm_struct *mm;

	if (addr >= TASK_SIZE_MAX) {
		pr_err("mapper: %lx is not a user address\n", addr);
		return -EINVAL;
	}

	mm = mm_of_pid(pid, comm);
	if (IS_ERR(mm)) {
		pr_err("mapper: cannot use pid %d (error %ld)\n", pid, PTR_ERR(mm));
		return PTR_ERR(mm);
	}

	print_header(comm, addr);

	mmap_read_lock(mm);
	walk(mm, addr, &r);
	mmap_read_unlock(mm);
	mmput(mm);

	if (r.mapped)
		print_valid(addr, &r);
	else
		print_not_mapped(addr);
	return 0;
}

static void __exit mapper_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(mapper_init);
module_exit(mapper_exit);
