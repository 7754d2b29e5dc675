#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/mm.h>
#include <linux/pid.h>

static int pid;
static char *address = "0";
module_param(pid, int, 0);
module_param(address, charp, 0);

int init_module(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long vaddr = 0, paddr;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;

	if (pid <= 0) {
		printk(KERN_ERR "lkm4: give a pid\n");
		return -EINVAL;
	}
	sscanf(address, "%lu", &vaddr);

	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (!task) {
		rcu_read_unlock();
		printk(KERN_ERR "lkm4: no task %d\n", pid);
		return -ESRCH;
	}
	mm = task->mm;
	if (!mm) {
		rcu_read_unlock();
		printk(KERN_ERR "lkm4: task %d has no mm\n", pid);
		return -EINVAL;
	}

	printk(KERN_INFO "LKM loaded\tPid: %d\tAddress: %lx\n", pid, vaddr);
	printk(KERN_INFO "Task: %s\n", task->comm);

	pgd = pgd_offset(mm, vaddr);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		goto bad;
	printk(KERN_INFO "Page Global Directory: %px\n", pgd);
	p4d = p4d_offset(pgd, vaddr);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		goto bad;
	printk(KERN_INFO "Address of Page 4th Directory: %px\n", p4d);
	pud = pud_offset(p4d, vaddr);
	if (pud_none(*pud) || pud_bad(*pud))
		goto bad;
	printk(KERN_INFO "Address of Page Upper Directory: %px\n", pud);
	pmd = pmd_offset(pud, vaddr);
	if (pmd_none(*pmd) || pmd_bad(*pmd))
		goto bad;
	printk(KERN_INFO "Address of Page Middle Directory: %px\n", pmd);
	pte = pte_offset_kernel(pmd, vaddr);
	if (!pte_present(*pte))
		goto bad;
	printk(KERN_INFO "Address of Page Table Entry: %px\n", pte);

	paddr = (pte_pfn(*pte) << PAGE_SHIFT) + (vaddr & ~PAGE_MASK);
	printk(KERN_INFO "The address %lx is valid\n", vaddr);
	printk(KERN_INFO "Page Frame Number: %lx\n", pte_pfn(*pte));
	printk(KERN_INFO "Physical Address: %lx\n", paddr);
	rcu_read_unlock();
	return 0;
bad:
	printk(KERN_INFO "The address %lx is not mapped\n", vaddr);
	rcu_read_unlock();
	return 0;
}

void cleanup_module(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

MODULE_LICENSE("GPL");
