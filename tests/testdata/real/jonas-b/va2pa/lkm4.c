#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/pid.h>

static int pid;
static unsigned long addr;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "process id");
module_param(addr, ulong, 0);
MODULE_PARM_DESC(addr, "virtual address");

static int __init lkm4_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;

	if (pid <= 0 || addr >= TASK_SIZE_MAX)
		return -EINVAL;
	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	if (!mm)
		return -EINVAL;

	printk(KERN_INFO "LKM loaded\tPid: %d\tAddress: %lx\n", pid, addr);
	printk(KERN_INFO "Task: %s\n", task->comm);
	pgd = pgd_offset(mm, addr);
	p4d = p4d_offset(pgd, addr);
	pud = pud_offset(p4d, addr);
	pmd = pmd_offset(pud, addr);
	if (pgd_none(*pgd) || p4d_none(*p4d) || pud_none(*pud) || pmd_none(*pmd)) {
		printk(KERN_INFO "The address %lx is not mapped\n", addr);
		mmput(mm);
		return 0;
	}
	pte = pte_offset_map(pmd, addr);
	printk(KERN_INFO "Page Global Directory: %px\n", pgd);
	printk(KERN_INFO "Address of Page 4th Directory: %px\n", p4d);
	printk(KERN_INFO "Address of Page Upper Directory: %px\n", pud);
	printk(KERN_INFO "Address of Page Middle Directory: %px\n", pmd);
	printk(KERN_INFO "Address of Page Table Entry: %px\n", pte);
	printk(KERN_INFO "The address %lx is valid\n", addr);
	printk(KERN_INFO "Page Frame Number: %lx\n", pte_pfn(*pte));
	printk(KERN_INFO "Physical Address: %lx\n", (pte_pfn(*pte) << PAGE_SHIFT) | (addr & ~PAGE_MASK));
	pte_unmap(pte);
	mmput(mm);
	return 0;
}

static void __exit lkm4_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(lkm4_init);
module_exit(lkm4_exit);
