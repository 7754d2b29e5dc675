#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/pid.h>

static int process_id;
static unsigned long user_ptr;
module_param(process_id, int, 0);
MODULE_PARM_DESC(process_id, "the process to inspect");
module_param(user_ptr, ulong, 0);
MODULE_PARM_DESC(user_ptr, "the virtual address to translate");

static int __init lkm4_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;
	unsigned long phys = 0;
	int found = 0;

	if (process_id <= 0)
		return -EINVAL;
	if (user_ptr >= TASK_SIZE_MAX)
		return -EINVAL;
	rcu_read_lock();
	task = pid_task(find_vpid(process_id), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	if (!mm) {
		put_task_struct(task);
		return -EINVAL;
	}

	pr_info("LKM loaded\tPid: %d\tAddress: %lx\n", process_id, user_ptr);
	pr_info("Task: %s\n", task->comm);
	put_task_struct(task);

	mmap_read_lock(mm);
	pgd = pgd_offset(mm, user_ptr);
	if (!pgd_none(*pgd) && !pgd_bad(*pgd)) {
		pr_info("Page Global Directory: %px\n", pgd);
		p4d = p4d_offset(pgd, user_ptr);
		if (!p4d_none(*p4d) && !p4d_bad(*p4d)) {
			pr_info("Address of Page 4th Directory: %px\n", p4d);
			pud = pud_offset(p4d, user_ptr);
			if (!pud_none(*pud) && !pud_bad(*pud)) {
				pr_info("Address of Page Upper Directory: %px\n", pud);
				pmd = pmd_offset(pud, user_ptr);
				if (!pmd_none(*pmd)) {
					pr_info("Address of Page Middle Directory: %px\n", pmd);
					if (pmd_large(*pmd)) {
						phys = (pmd_pfn(*pmd) << PAGE_SHIFT) | (user_ptr & ~PMD_MASK);
						found = 1;
					} else if (!pmd_bad(*pmd)) {
						pte = pte_offset_map(pmd, user_ptr);
						if (pte_present(*pte)) {
							pr_info("Address of Page Table Entry: %px\n", pte);
							phys = (pte_pfn(*pte) << PAGE_SHIFT) | (user_ptr & ~PAGE_MASK);
							found = 1;
						}
						pte_unmap(pte);
					}
				}
			}
		}
	}
	mmap_read_unlock(mm);

	if (found) {
		pr_info("The address %lx is valid\n", user_ptr);
		pr_info("Page Frame Number: %lx\n", phys >> PAGE_SHIFT);
		pr_info("Physical Address: %lx\n", phys);
	} else {
		pr_info("The address %lx is not mapped\n", user_ptr);
	}
	return 0;
}

static void __exit lkm4_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(lkm4_init);
module_exit(lkm4_exit);
MODULE_LICENSE("GPL");
