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
MODULE_AUTHOR("Rosa V");
MODULE_DESCRIPTION("Virtual address to physical address");

static int pid = 0;
static unsigned long address = 0;
module_param(pid, int, 0644);
MODULE_PARM_DESC(pid, "Process ID");
module_param(address, ulong, 0644);
MODULE_PARM_DESC(address, "Virtual address");

static int __init lkm4_init(void) {
    struct task_struct *task;
    struct mm_struct *mm;
    pgd_t *pgd;
    p4d_t *p4d;
    pud_t *pud;
    pmd_t *pmd;
    pte_t *pte;
    unsigned long phys_addr;

    if (pid <= 0) {
        printk(KERN_ERR "lkm4: invalid pid\n");
        return -EINVAL;
    }
    if (address >= TASK_SIZE_MAX) {
        printk(KERN_ERR "lkm4: address is in kernel space\n");
        return -EINVAL;
    }
    rcu_read_lock();
    task = pid_task(find_vpid(pid), PIDTYPE_PID);
    if (task != NULL) {
        get_task_struct(task);
    }
    rcu_read_unlock();
    if (task == NULL) {
        printk(KERN_ERR "lkm4: process not found\n");
        return -ESRCH;
    }
    mm = get_task_mm(task);
    if (mm == NULL) {
        printk(KERN_ERR "lkm4: kernel thread has no mm\n");
        put_task_struct(task);
        return -EINVAL;
    }

    printk(KERN_INFO "LKM loaded\tPid: %d\tAddress: %lx\n", pid, address);
    printk(KERN_INFO "Task: %s\n", task->comm);
    mmap_read_lock(mm);
    pgd = pgd_offset(mm, address);
    if (pgd_none(*pgd) || pgd_bad(*pgd)) {
        goto not_mapped;
    }
    printk(KERN_INFO "Page Global Directory: %px\n", pgd);
    p4d = p4d_offset(pgd, address);
    if (p4d_none(*p4d) || p4d_bad(*p4d)) {
        goto not_mapped;
    }
    printk(KERN_INFO "Address of Page 4th Directory: %px\n", p4d);
    pud = pud_offset(p4d, address);
    if (pud_none(*pud) || pud_bad(*pud)) {
        goto not_mapped;
    }
    printk(KERN_INFO "Address of Page Upper Directory: %px\n", pud);
    pmd = pmd_offset(pud, address);
    if (pmd_none(*pmd)) {
        goto not_mapped;
    }
    printk(KERN_INFO "Address of Page Middle Directory: %px\n", pmd);
    if (pmd_large(*pmd)) {
        phys_addr = (pmd_pfn(*pmd) << PAGE_SHIFT) + (address & ~PMD_MASK);
    } else {
        if (pmd_bad(*pmd)) {
            goto not_mapped;
        }
        pte = pte_offset_map(pmd, address);
        if (!pte_present(*pte)) {
            pte_unmap(pte);
            goto not_mapped;
        }
        printk(KERN_INFO "Address of Page Table Entry: %px\n", pte);
        phys_addr = (pte_pfn(*pte) << PAGE_SHIFT) + (address & ~PAGE_MASK);
        pte_unmap(pte);
    }
    printk(KERN_INFO "The address %lx is valid\n", address);
    printk(KERN_INFO "Page Frame Number: %lx\n", phys_addr >> PAGE_SHIFT);
    printk(KERN_INFO "Physical Address: %lx\n", phys_addr);
    mmap_read_unlock(mm);
    mmput(mm);
    put_task_struct(task);
    return 0;

not_mapped:
    printk(KERN_INFO "The address %lx is not mapped\n", address);
    mmap_read_unlock(mm);
    mmput(mm);
    put_task_struct(task);
    return 0;
}

static void __exit lkm4_exit(void) {
    printk(KERN_INFO "lkm unloaded\n");
}

module_init(lkm4_init);
module_exit(lkm4_exit);
