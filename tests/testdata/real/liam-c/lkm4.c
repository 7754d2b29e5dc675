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

static int pid = 0;
static long va = 0;
module_param(pid, int, 0);
module_param(va, long, 0);

static int __init lkm4_init(void)
{
        struct task_struct *task;
        struct mm_struct *mm;
        unsigned long address = (unsigned long)va;
        unsigned long pfn = 0;
        pgd_t *pgd;
        p4d_t *p4d;
        pud_t *pud;
        pmd_t *pmd;
        pte_t *pte = NULL;

        if (pid <= 0 || va <= 0) {
                printk(KERN_ERR "lkm4: need pid and va\n");
                return -EINVAL;
        }
        rcu_read_lock();
        task = pid_task(find_vpid(pid), PIDTYPE_PID);
        if (task)
                get_task_struct(task);
        rcu_read_unlock();
        if (!task) {
                printk(KERN_ERR "lkm4: no such pid %d\n", pid);
                return -ESRCH;
        }
        mm = get_task_mm(task);
        if (!mm) {
                printk(KERN_ERR "lkm4: pid %d has no mm\n", pid);
                put_task_struct(task);
                return -EINVAL;
        }

        printk(KERN_INFO "LKM loaded\tPid: %d\tAddress: %lx\n", pid, address);
        printk(KERN_INFO "Task: %s\n", task->comm);
        mmap_read_lock(mm);
        pgd = pgd_offset(mm, address);
        if (pgd_none(*pgd) || pgd_bad(*pgd))
                goto out;
        printk(KERN_INFO "Page Global Directory: %px\n", pgd);
        p4d = p4d_offset(pgd, address);
        if (p4d_none(*p4d) || p4d_bad(*p4d))
                goto out;
        printk(KERN_INFO "Address of Page 4th Directory: %px\n", p4d);
        pud = pud_offset(p4d, address);
        if (pud_none(*pud) || pud_bad(*pud))
                goto out;
        printk(KERN_INFO "Address of Page Upper Directory: %px\n", pud);
        pmd = pmd_offset(pud, address);
        if (pmd_none(*pmd))
                goto out;
        printk(KERN_INFO "Address of Page Middle Directory: %px\n", pmd);
        if (pmd_large(*pmd)) {
                /* 2MB page: the 4K frame inside it */
                pfn = pmd_pfn(*pmd) + ((address & ~PMD_MASK) >> PAGE_SHIFT);
                goto out;
        }
        if (pmd_bad(*pmd))
                goto out;
        pte = pte_offset_map(pmd, address);
        if (pte_present(*pte)) {
                printk(KERN_INFO "Address of Page Table Entry: %px\n", pte);
                pfn = pte_pfn(*pte);
        }
        pte_unmap(pte);
out:
        mmap_read_unlock(mm);
        if (pfn) {
                printk(KERN_INFO "The address %lx is valid\n", address);
                printk(KERN_INFO "Page Frame Number: %lx\n", pfn);
                printk(KERN_INFO "Physical Address: %lx\n", pfn << PAGE_SHIFT);
        } else {
                printk(KERN_INFO "The address %lx is not mapped\n", address);
        }
        mmput(mm);
        put_task_struct(task);
        return 0;
}

static void __exit lkm4_exit(void)
{
        printk(KERN_INFO "lkm unloaded\n");
}

module_init(lkm4_init);
module_exit(lkm4_exit);
