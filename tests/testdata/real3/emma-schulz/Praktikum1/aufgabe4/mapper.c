// SPDX-License-Identifier: Dual BSD/GPL
/*
 * mapper.c – Aufgabe 4: virtuelle Adresse → physische Adresse.
 * Statt die Tabellen von Hand abzulaufen, nutze ich die
 * Seitentabellen-API des Kernels (walk_page_range mit mm_walk_ops):
 * der Kernel ruft pte_entry bzw. pmd_entry für unsere Adresse auf.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pagewalk.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

MODULE_LICENSE("Dual BSD/GPL");
MODULE_AUTHOR("Emma Schulz");

static int pid;
module_param(pid, int, S_IRUGO);
MODULE_PARM_DESC(pid, "PID des Prozesses");

static unsigned long addr;
module_param(addr, ulong, S_IRUGO);
MODULE_PARM_DESC(addr, "virtuelle Adresse (hex mit 0x)");

struct ergebnis {
	bool gefunden;
	unsigned long pfn;
	unsigned long phys;
};

static int mapper_pmd(pmd_t *pmd, unsigned long start, unsigned long end, struct mm_walk *walk)
{
	struct ergebnis *e = walk->private;

	pr_info("Address of Page Middle Directory: %px\n", pmd);
	if (pmd_large(*pmd)) {   /* 2-MiB-Seite */
		e->gefunden = true;
		e->pfn = pmd_pfn(*pmd) + ((addr & ~PMD_MASK) >> PAGE_SHIFT);
		e->phys = (pmd_pfn(*pmd) << PAGE_SHIFT) + (addr & ~PMD_MASK);
	}
	return 0;
}

static int mapper_pte(pte_t *pte, unsigned long start, unsigned long end, struct mm_walk *walk)
{
	struct ergebnis *e = walk->private;

	pr_info("Address of Page Table Entry: %px\n", pte);
	if (pte_present(*pte)) {
		e->gefunden = true;
		e->pfn = pte_pfn(*pte);
		e->phys = (e->pfn << PAGE_SHIFT) | (addr & ~PAGE_MASK);
	}
	return 0;
}

static const struct mm_walk_ops ops = {
	.pmd_entry = mapper_pmd,
	.pte_entry = mapper_pte,
};

static int __init mapper_init(void)
{
	struct task_struct *t;
	struct mm_struct *mm;
	struct ergebnis e = { 0 };

	rcu_read_lock();
	t = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	if (!t)
		return -ESRCH;
	mm = get_task_mm(t);
	if (!mm) {
		put_task_struct(t);
		return -EINVAL;
	}
	pr_info("LKM loaded\tPid: %d\tAddress: %lx\n", pid, addr);
	pr_info("Task: %s\n", t->comm);
	put_task_struct(t);

	pr_info("Page Global Directory: %px\n", pgd_offset(mm, addr));
	mmap_read_lock(mm);
	walk_page_range(mm, addr & PAGE_MASK, (addr & PAGE_MASK) + PAGE_SIZE, &ops, &e);
	mmap_read_unlock(mm);
	mmput(mm);

	if (e.gefunden) {
		pr_info("The address %lx is valid\n", addr);
		pr_info("Page Frame Number: %lx\n", e.pfn);
		pr_info("Physical Address: %lx\n", e.phys);
	} else {
		pr_info("The address %lx is not mapped\n", addr);
	}
	return 0;
}

static void __exit mapper_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(mapper_init);
module_exit(mapper_exit);
