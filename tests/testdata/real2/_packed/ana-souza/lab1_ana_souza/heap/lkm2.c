/* Lab 1, part 2 - process with the largest heap
 * Ana Souza
 *
 * heap size = mm->brk - mm->start_brk (bytes)
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/mm_types.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ana Souza");

static int __init heap_init(void)
{
    struct task_struct *task;
    unsigned long best = 0, size;
    pid_t best_pid = -1;

    printk(KERN_INFO "largest heap memory lkm loaded\n");

    rcu_read_lock();
    for_each_process(task) {
        if (task->mm == NULL)       /* kernel threads have no heap */
            continue;
        size = task->mm->brk - task->mm->start_brk;
        if (size > best) {
            best = size;
            best_pid = task->pid;
        }
    }
    rcu_read_unlock();

    /* printed in two pieces, the second one continues the line */
    printk(KERN_INFO "PID: %d", best_pid);
    printk(KERN_CONT " has max heap usage with: %lu\n", best);
    return 0;
}

static void __exit heap_exit(void)
{
    printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);
