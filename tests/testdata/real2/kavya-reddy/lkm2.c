#include<linux/module.h>
#include<linux/kernel.h>
#include<linux/init.h>
#include<linux/sched.h>
#include<linux/sched/signal.h>
MODULE_LICENSE("GPL");

static int __init start(void){
    struct task_struct *task;
    unsigned long maxheap = 0;
    int maxpid = 0;
    printk(KERN_INFO "largest heap memory lkm loaded\n");
    for_each_process(task){
        if(task->mm != NULL && task->mm->brk > maxheap){
            maxheap = task->mm->brk;
            maxpid = task->pid;
        }
    }
    printk(KERN_INFO "PID: %d has max heap usage with: %lu\n", maxpid, maxheap);
    return 0;
}
static void __exit end(void){
    printk(KERN_INFO "largest heap memory lkm unloaded\n");
}
module_init(start);
module_exit(end);
