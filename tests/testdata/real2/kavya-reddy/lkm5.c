#include<linux/module.h>
#include<linux/kernel.h>
#include<linux/init.h>
#include<linux/sched.h>
#include<linux/mm.h>
#include<linux/pid.h>
MODULE_LICENSE("GPL");

static int input_pid = 0;
module_param(input_pid, int, 0);

static int __init start(void){
    struct task_struct *task = pid_task(find_vpid(input_pid), PIDTYPE_PID);
    if(task == NULL || task->mm == NULL){
        printk(KERN_INFO "invalid pid\n");
        return -1;
    }
    printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", input_pid);
    printk(KERN_INFO "Task: %s\n", task->comm);
    printk(KERN_INFO "rss side: %lu KiB\tvm size: %lu KiB\n", get_mm_rss(task->mm) * PAGE_SIZE, task->mm->total_vm * PAGE_SIZE);
    return 0;
}
static void __exit end(void){
    printk(KERN_INFO "lkm unloaded\n");
}
module_init(start);
module_exit(end);
