#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Maria G");

static int PID = 0;
static unsigned long address = 0;
module_param(PID, int, S_IRUGO);
MODULE_PARM_DESC(PID, "the process");
module_param(address, ulong, S_IRUGO);
MODULE_PARM_DESC(address, "the virtual address");

static int lkm4_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;
	unsigned long phys;

	if (PID <= 0) {
		printk(KERN_ERR "lkm4: invalid PID %d\n", PID);
		return 0;
	}
	if (address >= TASK_SIZE_MAX) {
		printk(KERN_ERR "lkm4: %lx is a kernel address\n", address);
		return 0;
	}
	rcu_read_lock();
	task = pid_task(find_vpid(PID), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (task == NULL) {
		printk(KERN_ERR "lkm4: no process with PID %d\n", PID);
		return 0;
	}
	mm = get_task_mm(task);
	if (mm == NULL) {
		printk(KERN_ERR "lkm4: PID %d is a kernel thread\n", PID);
		put_task_struct(task);
		return 0;
	}

	printk(KERN_INFO "LKM loaded\tPid: %d\tAddress: %lx\n", PID, address);
	printk(KERN_INFO "Task: %s\n", task->comm);
	mmap_read_lock(mm);
	pgd = pgd_offset(mm, address);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		goto unmapped;
	printk(KERN_INFO "Page Global Directory: %px\n", pgd);
	p4d = p4d_offset(pgd, address);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		goto unmapped;
	printk(KERN_INFO "Address of Page 4th Directory: %px\n", p4d);
	pud = pud_offset(p4d, address);
	if (pud_none(*pud) || pud_bad(*pud))
		goto unmapped;
	printk(KERN_INFO "Address of Page Upper Directory: %px\n", pud);
	pmd = pmd_offset(pud, address);
	if (pmd_none(*pmd))
		goto unmapped;
	printk(KERN_INFO "Address of Page Middle Directory: %px\n", pmd);
	if (pmd_leaf(*pmd)) {
		phys = (pmd_pfn(*pmd) << PAGE_SHIFT) + (address & (PMD_SIZE - 1));
	} else {
		if (pmd_bad(*pmd))
			goto unmapped;
		pte = pte_offset_map(pmd, address);
		if (!pte_present(*pte)) {
			pte_unmap(pte);
			goto unmapped;
		}
		printk(KERN_INFO "Address of Page Table Entry: %px\n", pte);
		phys = (pte_pfn(*pte) << PAGE_SHIFT) + (address & (PAGE_SIZE - 1));
		pte_unmap(pte);
	}
	printk(KERN_INFO "The address %lx is valid\n", address);
	printk(KERN_INFO "Page Frame Number: %lx\n", phys >> PAGE_SHIFT);
	printk(KERN_INFO "Physical Address: %lx\n", phys);
	goto done;
unmapped:
	printk(KERN_INFO "The address %lx is not mapped\n", address);
done:
	mmap_read_unlock(mm);
	mmput(mm);
	put_task_struct(task);
	return 0;
}

static void lkm4_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(lkm4_init);
module_exit(lkm4_exit);
