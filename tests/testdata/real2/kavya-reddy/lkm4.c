#include<linux/module.h>
#include<linux/kernel.h>
#include<linux/init.h>
#include<linux/sched.h>
#include<linux/mm.h>
#include<linux/pid.h>
#include<asm/io.h>
MODULE_LICENSE("GPL");

static int input_pid = 0;
static unsigned long va = 0;
module_param(input_pid, int, 0);
module_param(va, ulong, 0);

static int __init start(void){
    struct task_struct *task;
    pgd_t *pgd; p4d_t *p4d; pud_t *pud; pmd_t *pmd; pte_t *pte;
    unsigned long pa;

    task = pid_task(find_vpid(input_pid), PIDTYPE_PID);
    if(task == NULL || task->mm == NULL){
        printk(KERN_INFO "invalid pid\n");
        return -1;
    }
    printk(KERN_INFO "LKM loaded\tPid: %d\tAddress: %lx\n", input_pid, va);
    printk(KERN_INFO "Task: %s\n", task->comm);

    pgd = pgd_offset(task->mm, va);
    if(pgd_none(*pgd) || pgd_bad(*pgd)) goto notmapped;
    printk(KERN_INFO "Page Global Directory: %px\n", pgd);
    p4d = p4d_offset(pgd, va);
    if(p4d_none(*p4d) || p4d_bad(*p4d)) goto notmapped;
    printk(KERN_INFO "Address of Page 4th Directory: %px\n", p4d);
    pud = pud_offset(p4d, va);
    if(pud_none(*pud) || pud_bad(*pud)) goto notmapped;
    printk(KERN_INFO "Address of Page Upper Directory: %px\n", pud);
    pmd = pmd_offset(pud, va);
    if(pmd_none(*pmd) || pmd_bad(*pmd)) goto notmapped;
    printk(KERN_INFO "Address of Page Middle Directory: %px\n", pmd);
    pte = pte_offset_kernel(pmd, va);
    if(!pte_present(*pte)) goto notmapped;
    printk(KERN_INFO "Address of Page Table Entry: %px\n", pte);

    pa = virt_to_phys((void *)va);
    printk(KERN_INFO "The address %lx is valid\n", va);
    printk(KERN_INFO "Page Frame Number: %lx\n", pa >> PAGE_SHIFT);
    printk(KERN_INFO "Physical Address: %lx\n", pa);
    return 0;
notmapped:
    printk(KERN_INFO "The address %lx is not mapped\n", va);
    return 0;
}
static void __exit end(void){
    printk(KERN_INFO "lkm unloaded\n");
}
module_init(start);
module_exit(end);
