#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/pid.h>

static int pid;
static unsigned long address;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "process");
module_param(address, ulong, 0);
MODULE_PARM_DESC(address, "virtual address");

static int __init lkm4_init(void)
{
	struct task_struct *t;
	struct mm_struct *mm;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;
	unsigned long pfn;

	if (pid <= 0) {
		pr_err("lkm4: bad pid\n");
		return -EINVAL;
	}
	if (address >= TASK_SIZE_MAX) {
		pr_err("lkm4: not a user address\n");
		return -EINVAL;
	}
	rcu_read_lock();
	t = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	if (!t) {
		pr_err("lkm4: no such process\n");
		return -ESRCH;
	}
	mm = get_task_mm(t);
	if (!mm) {
		pr_err("lkm4: kernel thread\n");
		put_task_struct(t);
		return -EINVAL;
	}
	pr_info("LKM loaded\tPid: %d\tAddress: %lx\n", pid, address);
	pr_info("Task: %s\n", t->comm);
	put_task_struct(t);

	mmap_read_lock(mm);
	pgd = pgd_offset(mm, address);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		goto not_mapped;
	pr_info("Page Global Directory: %px\n", pgd);
	p4d = p4d_offset(pgd, address);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		goto not_mapped;
	pr_info("Address of Page 4th Directory: %px\n", p4d);
	pud = pud_offset(p4d, address);
	if (pud_none(*pud) || pud_bad(*pud))
		goto not_mapped;
	pr_info("Address of Page Upper Directory: %px\n", pud);
	pmd = pmd_offset(pud, address);
	if (pmd_none(*pmd) || pmd_bad(*pmd))
		goto not_mapped;
	pr_info("Address of Page Middle Directory: %px\n", pmd);
	pte = pte_offset_map(pmd, address);
	if (!pte_present(*pte)) {
		pte_unmap(pte);
		goto not_mapped;
	}
	pr_info("Address of Page Table Entry: %px\n", pte);
	pfn = pte_pfn(*pte);
	pte_unmap(pte);
	pr_info("The address %lx is valid\n", address);
	pr_info("Page Frame Number: %lx\n", pfn);
	pr_info("Physical Address: %lx\n", (pfn << PAGE_SHIFT) | (address & ~PAGE_MASK));
	goto out;
not_mapped:
	pr_info("The address %lx is not mapped\n", address);
out:
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
