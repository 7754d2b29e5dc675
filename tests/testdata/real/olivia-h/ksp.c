#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");

/* init_task is the first process, the "init" process */
static int __init ksp_init(void)
{
    printk(KERN_INFO "stack pointer lkm loaded\n");
    printk(KERN_INFO "PID: %d has kernel stack at %px\n", init_task.pid, init_task.stack);
    return 0;
}

static void __exit ksp_exit(void)
{
    printk(KERN_INFO "stack pointer lkm unloaded\n");
}

module_init(ksp_init);
module_exit(ksp_exit);
