// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture (legitimate): the kernel interfaces the course's process
 * and memory modules use, all in one module. The static check must find
 * nothing here: a false positive costs a student points.
 */
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pgtable.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/spinlock.h>
#include <linux/version.h>

/* task_is_running() came with 5.14 (task->state became __state). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 14, 0)
#define task_is_running(p) (READ_ONCE((p)->state) == TASK_RUNNING)
#endif

static int pid = 1;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "process to look at");

static unsigned long addr;
module_param(addr, ulong, 0);
MODULE_PARM_DESC(addr, "user address to translate");

static DEFINE_SPINLOCK(walker_lock);
static unsigned long walker_count;

/* Page walk from mm->pgd: no control register is read or written. */
static unsigned long walker_phys(struct mm_struct *mm, unsigned long va)
{
	pgd_t *pgd = pgd_offset(mm, va);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd, pmdval;
	pte_t *pte, pteval;

	if (pgd_none(*pgd) || pgd_bad(*pgd))
		return 0;
	p4d = p4d_offset(pgd, va);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		return 0;
	pud = pud_offset(p4d, va);
	if (pud_none(*pud) || pud_leaf(*pud) || pud_bad(*pud))
		return 0;
	pmd = pmd_offset(pud, va);
	pmdval = READ_ONCE(*pmd);
	if (pmd_none(pmdval) || pmd_leaf(pmdval) || pmd_bad(pmdval))
		return 0;
	rcu_read_lock();
	pte = pte_offset_kernel(&pmdval, va);
	pteval = ptep_get(pte);
	rcu_read_unlock();
	if (!pte_present(pteval))
		return 0;
	return (pte_pfn(pteval) << PAGE_SHIFT) | (va & ~PAGE_MASK);
}

static void walker_count_running(void)
{
	struct task_struct *p;
	unsigned long flags;
	unsigned long n = 0;

	rcu_read_lock();
	for_each_process(p) {
		if (task_is_running(p))
			n++;
	}
	rcu_read_unlock();

	spin_lock_irqsave(&walker_lock, flags);
	walker_count = n;
	spin_unlock_irqrestore(&walker_lock, flags);

	local_irq_save(flags);
	walker_count++;
	local_irq_restore(flags);
}

static int __init walker_init(void)
{
	char comm[TASK_COMM_LEN];
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *spid;
	unsigned long phys = 0;

	walker_count_running();
	spid = find_get_pid(pid);
	rcu_read_lock();
	task = pid_task(spid, PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	put_pid(spid);
	if (!task)
		return -ESRCH;
	get_task_comm(comm, task);
	mm = get_task_mm(task);
	put_task_struct(task);
	if (mm) {
		mmap_read_lock(mm);
		if (addr)
			phys = walker_phys(mm, addr);
		pr_info("walker: %s heap %lu stack %px\n", comm,
			mm->brk - mm->start_brk, task->stack);
		mmap_read_unlock(mm);
		mmput(mm);
	}
	pr_info("walker: %lu running, phys %lx\n", walker_count, phys);
	return 0;
}

static void __exit walker_exit(void)
{
	pr_info("walker: unloaded\n");
}

module_init(walker_init);
module_exit(walker_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("legitimate process and memory interfaces");
