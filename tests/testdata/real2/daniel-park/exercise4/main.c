/*
 * exercise4/main.c - translate a virtual address of a process to a
 * physical one by walking its page tables.
 *
 *   insmod main.ko pid=1234 addr=0x7ffd12345000
 *
 * x86-64 has four levels: PGD -> PUD -> PMD -> PTE. pud_offset() wants a
 * p4d_t * since 4.11 (for 5-level paging, which my machine does not use),
 * so the PGD entry is passed in its place.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>

static int pid;
static unsigned long addr;
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "pid of the process");
module_param(addr, ulong, 0444);
MODULE_PARM_DESC(addr, "virtual address to translate");

static int walk(struct mm_struct *mm, unsigned long *phys)
{
	pgd_t *pgd;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;

	pgd = pgd_offset(mm, addr);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		return 0;
	printk(KERN_INFO "Page Global Directory: %px\n", pgd);

	pud = pud_offset((p4d_t *)pgd, addr);
	if (pud_none(*pud) || pud_bad(*pud))
		return 0;
	printk(KERN_INFO "Address of Page Upper Directory: %px\n", pud);

	pmd = pmd_offset(pud, addr);
	if (pmd_none(*pmd))
		return 0;
	printk(KERN_INFO "Address of Page Middle Directory: %px\n", pmd);
	if (pmd_large(*pmd)) {
		*phys = (pmd_pfn(*pmd) << PAGE_SHIFT) + (addr & ~PMD_MASK);
		return 1;
	}
	if (pmd_bad(*pmd))
		return 0;

	pte = pte_offset_kernel(pmd, addr);
	if (!pte_present(*pte))
		return 0;
	printk(KERN_INFO "Address of Page Table Entry: %px\n", pte);
	*phys = (pte_pfn(*pte) << PAGE_SHIFT) + (addr & ~PAGE_MASK);
	return 1;
}

int init_module(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long phys;
	int mapped;

	task = get_pid_task(find_get_pid(pid), PIDTYPE_PID);
	if (!task) {
		printk(KERN_ERR "exercise4: no such process: %d\n", pid);
		return -ESRCH;
	}
	mm = get_task_mm(task);
	if (!mm) {
		printk(KERN_ERR "exercise4: %d has no memory map\n", pid);
		put_task_struct(task);
		return -EINVAL;
	}

	printk(KERN_INFO "LKM loaded\tPid: %d\tAddress: %lx\n", pid, addr);
	printk(KERN_INFO "Task: %s\n", task->comm);

	mmap_read_lock(mm);
	mapped = addr < TASK_SIZE_MAX && walk(mm, &phys);
	mmap_read_unlock(mm);

	if (mapped) {
		printk(KERN_INFO "The address %lx is valid\n", addr);
		printk(KERN_INFO "Page Frame Number: %lx\n", phys >> PAGE_SHIFT);
		printk(KERN_INFO "Physical Address: %lx\n", phys);
	} else {
		printk(KERN_INFO "The address %lx is not mapped\n", addr);
	}
	mmput(mm);
	put_task_struct(task);
	return 0;
}

void cleanup_module(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

MODULE_LICENSE("Dual MIT/GPL");
MODULE_AUTHOR("Daniel Park");
