/*
 * part4: translate a virtual address of a process into a physical address
 * Chen W.
 *
 * usage: insmod mapper.ko target_pid=<pid> virt_addr=<address>
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Chen W.");

static int target_pid;
static unsigned long long virt_addr;
module_param(target_pid, int, 0444);
MODULE_PARM_DESC(target_pid, "Process ID");
module_param(virt_addr, ullong, 0444);
MODULE_PARM_DESC(virt_addr, "Virtual address (0x...)");

/* returns the physical address, or 0 if the page is not there */
static unsigned long long walk(struct mm_struct *mm, unsigned long va)
{
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;
	unsigned long long pa = 0;

	pgd = pgd_offset(mm, va);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		return 0;
	printk(KERN_INFO "  PGD entry @ 0x%lx\n", (unsigned long)pgd);
	p4d = p4d_offset(pgd, va);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		return 0;
	printk(KERN_INFO "  P4D entry @ 0x%lx\n", (unsigned long)p4d);
	pud = pud_offset(p4d, va);
	if (pud_none(*pud) || pud_bad(*pud))
		return 0;
	printk(KERN_INFO "  PUD entry @ 0x%lx\n", (unsigned long)pud);
	pmd = pmd_offset(pud, va);
	if (pmd_none(*pmd))
		return 0;
	printk(KERN_INFO "  PMD entry @ 0x%lx\n", (unsigned long)pmd);
	if (pmd_leaf(*pmd)) {
		printk(KERN_INFO "  (2MB page)\n");
		return ((unsigned long long)pmd_pfn(*pmd) << PAGE_SHIFT) + (va & ~PMD_MASK);
	}
	if (pmd_bad(*pmd))
		return 0;
	pte = pte_offset_map(pmd, va);
	if (pte_present(*pte)) {
		printk(KERN_INFO "  PTE entry @ 0x%lx\n", (unsigned long)pte);
		pa = ((unsigned long long)pte_pfn(*pte) << PAGE_SHIFT) + (va & ~PAGE_MASK);
	}
	pte_unmap(pte);
	return pa;
}

static int __init mapper_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long long pa;

	if (target_pid <= 0) {
		printk(KERN_ERR "mapper: target_pid must be > 0\n");
		return -EINVAL;
	}
	if (virt_addr >= TASK_SIZE_MAX) {
		printk(KERN_ERR "mapper: 0x%llx is not a user address\n", virt_addr);
		return -EINVAL;
	}
	rcu_read_lock();
	task = pid_task(find_vpid(target_pid), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task) {
		printk(KERN_ERR "mapper: pid %d not found\n", target_pid);
		return -ESRCH;
	}
	mm = get_task_mm(task);
	if (!mm) {
		printk(KERN_ERR "mapper: pid %d is a kernel thread\n", target_pid);
		put_task_struct(task);
		return -EINVAL;
	}

	printk(KERN_INFO "mapper: pid=%d (%s) vaddr=0x%llx\n", target_pid, task->comm, virt_addr);
	mmap_read_lock(mm);
	pa = walk(mm, virt_addr);
	mmap_read_unlock(mm);
	if (pa)
		printk(KERN_INFO "vaddr 0x%llx -> paddr 0x%llx (pfn 0x%llx)\n",
		       virt_addr, pa, pa >> PAGE_SHIFT);
	else
		printk(KERN_INFO "vaddr 0x%llx is not mapped\n", virt_addr);

	mmput(mm);
	put_task_struct(task);
	return 0;
}

static void __exit mapper_exit(void)
{
	printk(KERN_INFO "mapper module removed\n");
}

module_init(mapper_init);
module_exit(mapper_exit);
