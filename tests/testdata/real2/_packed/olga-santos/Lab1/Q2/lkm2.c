// Olga Santos - Lab 1 - Q2
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Olga Santos");

static int __init lkm2_init(void)
{
    struct task_struct *task;
    unsigned long max_size = 0;
    int max_pid = 0;

    printk(KERN_INFO "largest heap memory lkm loaded\n");
    rcu_read_lock();
    for_each_process(task)
    {
        if (task->mm)
        {
            unsigned long size = task->mm->brk - task->mm->start_brk;
            if (size > max_size)
            {
                max_size = size;
                max_pid = task->pid;
            }
        }
    }
    rcu_read_unlock();
    printk(KERN_INFO "PID: %d has max heap usage with: %lu\n", max_pid, max_size);
    return 0;
}

static void __exit lkm2_exit(void)
{
    printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

module_init(lkm2_init);
module_exit(lkm2_exit);
