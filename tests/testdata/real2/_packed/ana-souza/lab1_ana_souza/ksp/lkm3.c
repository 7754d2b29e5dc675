/* Lab 1, part 3 - kernel stack of pid 1
 * Ana Souza
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ana Souza");

static int __init ksp_init(void)
{
    struct task_struct *init;

    printk(KERN_INFO "stack pointer lkm loaded\n");

    rcu_read_lock();
    init = pid_task(find_vpid(1), PIDTYPE_PID);
    if (init)
        /* %px: %p would print a hashed value */
        printk(KERN_INFO "PID: 1 has kernel stack at %px\n", task_stack_page(init));
    rcu_read_unlock();
    return 0;
}

static void __exit ksp_exit(void)
{
    printk(KERN_INFO "stack pointer lkm unloaded\n");
}

module_init(ksp_init);
module_exit(ksp_exit);
