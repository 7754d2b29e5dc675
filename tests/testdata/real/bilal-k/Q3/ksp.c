// Q3: kernel stack of the task with pid 1
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/pid.h>

static int __init ksp_start(void)
{
    struct task_struct *init;

    pr_info("stack pointer lkm loaded\n");

    init = pid_task(find_vpid(1), PIDTYPE_PID);
    if (!init) {
        pr_err("ksp: pid 1 not found\n");
        return -ESRCH;
    }
    pr_info("PID: %d has kernel stack at %p\n", init->pid, init->stack);
    return 0;
}

static void __exit ksp_end(void)
{
    pr_info("stack pointer lkm unloaded\n");
}

module_init(ksp_start);
module_exit(ksp_end);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Bilal K");
