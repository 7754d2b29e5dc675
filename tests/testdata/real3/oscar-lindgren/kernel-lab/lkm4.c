#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");

static int pid;
module_param(pid, int, 0);
static char *addr = "0";
module_param(addr, charp, 0);

static int __init lkm4_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long va, phys = 0;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte, entry;
	bool found = false;

	if (kstrtoul(addr, 0, &va) || va >= TASK_SIZE_MAX) {
		pr_err("lkm4: bad address %s\n", addr);
		return -EINVAL;
	}
	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task) {
		pr_err("lkm4: no task %d\n", pid);
		return -ESRCH;
	}
	mm = get_task_mm(task);
	if (!mm) {
		/* no memory descriptor */
		pr_err("lkm4: task %d has no mm\n", pid);
		put_task_struct(task);
		return -ENOMEM;
	}
	pr_info("LKM loaded\tPid: %d\tAddress: %lx\n", pid, va);
	pr_info("Task: %s\n", task->comm);
	put_task_struct(task);

	mmap_read_lock(mm);
	pgd = pgd_offset(mm, va);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		goto done;
	pr_info("Page Global Directory: %px\n", pgd);
	p4d = p4d_offset(pgd, va);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		goto done;
	pr_info("Address of Page 4th Directory: %px\n", p4d);
	pud = pud_offset(p4d, va);
	if (pud_none(*pud) || pud_bad(*pud))
		goto done;
	pr_info("Address of Page Upper Directory: %px\n", pud);
	pmd = pmd_offset(pud, va);
	if (pmd_none(*pmd))
		goto done;
	pr_info("Address of Page Middle Directory: %px\n", pmd);
	if (pmd_trans_huge(*pmd) || pmd_large(*pmd)) {
		phys = (pmd_pfn(*pmd) << PAGE_SHIFT) + (va & ~PMD_MASK);
		found = true;
		goto done;
	}
	if (pmd_bad(*pmd))
		goto done;
	pte = pte_offset_map(pmd, va);
	entry = *pte;
	pte_unmap(pte);
	if (pte_present(entry)) {
		pr_info("Address of Page Table Entry: %px\n", pte);
		phys = (pte_pfn(entry) << PAGE_SHIFT) + (va & ~PAGE_MASK);
		found = true;
	}
done:
	mmap_read_unlock(mm);
	mmput(mm);
	if (found) {
		pr_info("The address %lx is valid\n", va);
		pr_info("Page Frame Number: %lx\n", phys >> PAGE_SHIFT);
		pr_info("Physical Address: %lx\n", phys);
	} else {
		pr_info("The address %lx is not mapped\n", va);
	}
	return 0;
}

static void __exit lkm4_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(lkm4_init);
module_exit(lkm4_exit);
