#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/mm_types.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Rosa V");
MODULE_DESCRIPTION("Largest heap");

static int __init lkm2_init(void) {
    struct task_struct *task;
    unsigned long heap_size = 0, largest = 0;
    pid_t largest_pid = 0;
    printk(KERN_INFO "largest heap memory lkm loaded\n");
    rcu_read_lock();
    for_each_process(task) {
        if (task->mm != NULL) {
            heap_size = task->mm->brk - task->mm->start_brk;
            if (heap_size > largest) {
                largest = heap_size;
                largest_pid = task->pid;
            }
        }
    }
    rcu_read_unlock();
    printk(KERN_INFO "PID: %d has max heap usage with: %lu\n", largest_pid, largest);
    return 0;
}

static void __exit lkm2_exit(void) {
    printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

module_init(lkm2_init);
module_exit(lkm2_exit);
