/* Page table walk for the mapper module (Carla Ferreira). */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include "walk.h"

/*
 * Walks mm's page tables for va, printing the entry found at each level.
 * The caller holds the mmap lock.
 */
void walk_va(struct mm_struct *mm, unsigned long va, struct walk_result *res)
{
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;

	res->mapped = 0;

	pgd = pgd_offset(mm, va);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		return;
	pr_info("Page Global Directory: %px\n", pgd);

	p4d = p4d_offset(pgd, va);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		return;
	pr_info("Address of Page 4th Directory: %px\n", p4d);

	pud = pud_offset(p4d, va);
	if (pud_none(*pud) || pud_bad(*pud))
		return;
	pr_info("Address of Page Upper Directory: %px\n", pud);

	pmd = pmd_offset(pud, va);
	if (pmd_none(*pmd))
		return;
	pr_info("Address of Page Middle Directory: %px\n", pmd);

	if (pmd_large(*pmd)) {		/* huge page, 2 MB */
		res->pfn = pmd_pfn(*pmd) + ((va & ~PMD_MASK) >> PAGE_SHIFT);
		res->phys = (pmd_pfn(*pmd) << PAGE_SHIFT) + (va & ~PMD_MASK);
		res->mapped = 1;
		return;
	}
	if (pmd_bad(*pmd))
		return;

	pte = pte_offset_kernel(pmd, va);
	if (!pte_present(*pte))
		return;
	pr_info("Address of Page Table Entry: %px\n", pte);

	res->pfn = pte_pfn(*pte);
	res->phys = (res->pfn << PAGE_SHIFT) + (va & ~PAGE_MASK);
	res->mapped = 1;
}
