// Olga Santos - Lab 1 - Q4
//
// Instead of decoding every level by hand, ask the kernel for the page
// that backs the address (get_user_pages_remote) and take its frame
// number. The page table levels are still printed for the report.
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Olga Santos");

static int pid;
static unsigned long addr;
module_param(pid, int, 0);
module_param(addr, ulong, 0);

static int __init lkm4_init(void)
{
    struct task_struct *task;
    struct mm_struct *mm;
    struct page *page;
    pgd_t *pgd;
    long got;

    task = get_pid_task(find_get_pid(pid), PIDTYPE_PID);
    if (!task)
        return -ESRCH;
    mm = get_task_mm(task);
    if (!mm)
    {
        put_task_struct(task);
        return -EINVAL;
    }

    printk(KERN_INFO "LKM loaded\tPid: %d\tAddress: %lx\n", pid, addr);
    printk(KERN_INFO "Task: %s\n", task->comm);

    mmap_read_lock(mm);
    pgd = pgd_offset(mm, addr);
    printk(KERN_INFO "Page Global Directory: %px\n", pgd);
    got = get_user_pages_remote(mm, addr, 1, 0, &page, NULL, NULL);
    mmap_read_unlock(mm);

    if (got == 1)
    {
        unsigned long pfn = page_to_pfn(page);
        printk(KERN_INFO "The address %lx is valid\n", addr);
        printk(KERN_INFO "Page Frame Number: %lx\n", pfn);
        printk(KERN_INFO "Physical Address: %lx\n", (pfn << PAGE_SHIFT) | (addr & ~PAGE_MASK));
        put_page(page);
    }
    else
    {
        printk(KERN_INFO "The address %lx is not mapped\n", addr);
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
