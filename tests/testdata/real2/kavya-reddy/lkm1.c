#include<linux/module.h>
#include<linux/kernel.h>
#include<linux/init.h>
#include<linux/sched.h>
#include<linux/sched/signal.h>
MODULE_LICENSE("GPL");

static int __init start(void){
    struct task_struct *task;
    printk(KERN_INFO "print running process kernel module loaded\n");
    printk(KERN_INFO "PID\tPROC\n");
    printk(KERN_INFO "---------------\n");
    for_each_process(task){
        // running or runnable = interruptible
        if(task->__state == TASK_INTERRUPTIBLE){
            printk(KERN_INFO "%d\t%s\n", task->pid, task->comm);
        }
    }
    return 0;
}
static void __exit end(void){
    printk(KERN_INFO "print running process kernel module unloaded\n");
}
module_init(start);
module_exit(end);
