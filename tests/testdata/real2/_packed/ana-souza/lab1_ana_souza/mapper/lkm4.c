/* Lab 1, part 4 - virtual to physical address through the page tables
 * Ana Souza
 *
 * usage: sudo insmod lkm4.ko pid=<pid> addr=0x<virtual address>
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <asm/pgtable.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ana Souza");

static int pid = -1;
static unsigned long addr;
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "process id");
module_param(addr, ulong, 0444);
MODULE_PARM_DESC(addr, "virtual address (hex, with 0x)");

static void print_phys(unsigned long pfn, unsigned long offset)
{
    printk(KERN_INFO "The address %lx is valid\n", addr);
    printk(KERN_INFO "Page Frame Number: %lx\n", pfn);
    printk(KERN_INFO "Physical Address: %lx\n", (pfn << PAGE_SHIFT) + offset);
}

static void walk(struct mm_struct *mm)
{
    pgd_t *pgd;
    p4d_t *p4d;
    pud_t *pud;
    pmd_t *pmd;
    pte_t *pte;

    pgd = pgd_offset(mm, addr);
    if (pgd_none(*pgd) || pgd_bad(*pgd))
        goto not_mapped;
    printk(KERN_INFO "Page Global Directory: %px\n", pgd);

    p4d = p4d_offset(pgd, addr);
    if (p4d_none(*p4d) || p4d_bad(*p4d))
        goto not_mapped;
    printk(KERN_INFO "Address of Page 4th Directory: %px\n", p4d);

    pud = pud_offset(p4d, addr);
    if (pud_none(*pud) || pud_bad(*pud))
        goto not_mapped;
    printk(KERN_INFO "Address of Page Upper Directory: %px\n", pud);

    pmd = pmd_offset(pud, addr);
    if (pmd_none(*pmd))
        goto not_mapped;
    printk(KERN_INFO "Address of Page Middle Directory: %px\n", pmd);

    if (pmd_large(*pmd)) {
        /* 2MB page: no page table below this entry */
        print_phys(pmd_pfn(*pmd), addr & ~PMD_MASK);
        return;
    }
    if (pmd_bad(*pmd))
        goto not_mapped;

    pte = pte_offset_map(pmd, addr);
    if (pte_none(*pte) || !pte_present(*pte)) {
        pte_unmap(pte);
        goto not_mapped;
    }
    printk(KERN_INFO "Address of Page Table Entry: %px\n", pte);
    print_phys(pte_pfn(*pte), addr & ~PAGE_MASK);
    pte_unmap(pte);
    return;

not_mapped:
    printk(KERN_INFO "The address %lx is not mapped\n", addr);
}

static int __init mapper_init(void)
{
    struct task_struct *task;
    struct mm_struct *mm;

    if (pid <= 0) {
        printk(KERN_ERR "lkm4: give a pid > 0\n");
        return -EINVAL;
    }
    task = get_pid_task(find_get_pid(pid), PIDTYPE_PID);
    if (!task) {
        printk(KERN_ERR "lkm4: no process %d\n", pid);
        return -ESRCH;
    }
    mm = get_task_mm(task);
    if (!mm) {
        printk(KERN_ERR "lkm4: %d has no user memory\n", pid);
        put_task_struct(task);
        return -EINVAL;
    }
    if (addr >= TASK_SIZE) {
        printk(KERN_ERR "lkm4: %lx is not a user address\n", addr);
        mmput(mm);
        put_task_struct(task);
        return -EINVAL;
    }

    printk(KERN_INFO "LKM loaded\tPid: %d\tAddress: %lx\n", pid, addr);
    printk(KERN_INFO "Task: %s\n", task->comm);

    mmap_read_lock(mm);
    walk(mm);
    mmap_read_unlock(mm);

    mmput(mm);
    put_task_struct(task);
    return 0;
}

static void __exit mapper_exit(void)
{
    printk(KERN_INFO "lkm unloaded\n");
}

module_init(mapper_init);
module_exit(mapper_exit);
