// Q2: process with the largest heap (brk - start_brk)
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched/signal.h>
#include <linux/mm_types.h>

static int __init heap_start(void)
{
    struct task_struct *p;
    unsigned long maxHeap = 0, cur;
    int maxPid = 0;

    pr_info("largest heap memory lkm loaded\n");

    rcu_read_lock();
    for_each_process(p) {
        struct mm_struct *mm = READ_ONCE(p->mm);
        if (!mm)
            continue;
        cur = mm->brk - mm->start_brk;
        if (cur > maxHeap) {
            maxHeap = cur;
            maxPid = p->pid;
        }
    }
    rcu_read_unlock();

    pr_info("PID: %d has max heap usage with: %lu\n", maxPid, maxHeap);
    return 0;
}

static void __exit heap_end(void)
{
    pr_info("largest heap memory lkm unloaded\n");
}

module_init(heap_start);
module_exit(heap_end);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Bilal K");
