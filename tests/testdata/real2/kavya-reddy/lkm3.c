#include<linux/module.h>
#include<linux/kernel.h>
#include<linux/init.h>
#include<linux/sched.h>
#include<linux/pid.h>
MODULE_LICENSE("GPL");

static int __init start(void){
    struct task_struct *task = pid_task(find_vpid(1), PIDTYPE_PID);
    printk(KERN_INFO "stack pointer lkm loaded\n");
    // stack grows down so the stack pointer starts at the top
    printk(KERN_INFO "PID: 1 has kernel stack at %lx\n", (unsigned long)task->stack + THREAD_SIZE);
    return 0;
}
static void __exit end(void){
    printk(KERN_INFO "stack pointer lkm unloaded\n");
}
module_init(start);
module_exit(end);
