#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");

static int __init lkm3_init(void)
{
        struct task_struct *task;

        printk(KERN_INFO "stack pointer lkm loaded\n");
        rcu_read_lock();
        for_each_process(task) {
                if (task->pid != 1)
                        continue;
                printk(KERN_INFO "PID: %d has kernel stack at %lx\n", task->pid,
                       (unsigned long)task->stack);
        }
        rcu_read_unlock();
        return 0;
}

static void __exit lkm3_exit(void)
{
        printk(KERN_INFO "stack pointer lkm unloaded\n");
}

module_init(lkm3_init);
module_exit(lkm3_exit);
