// Q4: walk the page tables of a process: virtual -> physical
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/mm.h>
#include <linux/pid.h>

static int given_pid = 0;
static char *given_va = "";

module_param(given_pid, int, 0644);
MODULE_PARM_DESC(given_pid, "pid of the process");
module_param(given_va, charp, 0644);
MODULE_PARM_DESC(given_va, "virtual address in hex");

static int __init mapper_start(void)
{
    struct task_struct *task;
    struct mm_struct *mm;
    struct pid *spid;
    unsigned long va, pfn, pa;
    pgd_t *pgd;
    p4d_t *p4d;
    pud_t *pud;
    pmd_t *pmd;
    pte_t *pte;

    if (kstrtoul(given_va, 16, &va)) {
        pr_err("mapper: bad address '%s'\n", given_va);
        return -EINVAL;
    }
    if (given_pid <= 0) {
        pr_err("mapper: bad pid %d\n", given_pid);
        return -EINVAL;
    }
    if (va >= TASK_SIZE) {
        pr_err("mapper: %lx is a kernel address\n", va);
        return -EINVAL;
    }

    spid = find_get_pid(given_pid);
    task = get_pid_task(spid, PIDTYPE_PID);
    put_pid(spid);
    if (!task) {
        pr_err("mapper: no such process %d\n", given_pid);
        return -ESRCH;
    }
    mm = get_task_mm(task);
    if (!mm) {
        pr_err("mapper: process %d has no user memory\n", given_pid);
        put_task_struct(task);
        return -EINVAL;
    }

    pr_info("LKM loaded\tPid: %d\tAddress: %lx\n", given_pid, va);
    pr_info("Task: %s\n", task->comm);

    mmap_read_lock(mm);
    pgd = pgd_offset(mm, va);
    if (pgd_none(*pgd) || pgd_bad(*pgd))
        goto notmapped;
    pr_info("Page Global Directory: %px\n", pgd);

    p4d = p4d_offset(pgd, va);
    if (p4d_none(*p4d) || p4d_bad(*p4d))
        goto notmapped;
    pr_info("Address of Page 4th Directory: %px\n", p4d);

    pud = pud_offset(p4d, va);
    if (pud_none(*pud) || pud_bad(*pud))
        goto notmapped;
    pr_info("Address of Page Upper Directory: %px\n", pud);

    pmd = pmd_offset(pud, va);
    if (pmd_none(*pmd) || pmd_bad(*pmd))
        goto notmapped;
    pr_info("Address of Page Middle Directory: %px\n", pmd);

    pte = pte_offset_map(pmd, va);
    if (pte_none(*pte) || !pte_present(*pte)) {
        pte_unmap(pte);
        goto notmapped;
    }
    pr_info("Address of Page Table Entry: %px\n", pte);

    pfn = pte_pfn(*pte);
    pa = (pfn << PAGE_SHIFT) | (va & ~PAGE_MASK);
    pte_unmap(pte);
    pr_info("The address %lx is valid\n", va);
    pr_info("Page Frame Number: %lx\n", pfn);
    pr_info("Physical Address: %lx\n", pa);
    goto done;

notmapped:
    pr_info("The address %lx is not mapped\n", va);
done:
    mmap_read_unlock(mm);
    mmput(mm);
    put_task_struct(task);
    return 0;
}

static void __exit mapper_end(void)
{
    pr_info("lkm unloaded\n");
}

module_init(mapper_start);
module_exit(mapper_end);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Bilal K");
