/* Lab 1, part 1 - list the running/runnable processes
 * Ana Souza
 *
 * Walks every thread (not only group leaders) so that a multithreaded
 * program whose worker thread is on the CPU shows up too.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/rcupdate.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ana Souza");

static int __init running_init(void)
{
    struct task_struct *g, *t;

    printk(KERN_INFO "print running process kernel module loaded\n");
    printk(KERN_INFO "PID\tPROC\n");
    printk(KERN_INFO "---------------\n");

    rcu_read_lock();
    for_each_process_thread(g, t) {
        if (task_is_running(t))
            printk(KERN_INFO "%d\t%s\n", t->pid, t->comm);
    }
    rcu_read_unlock();
    return 0;
}

static void __exit running_exit(void)
{
    printk(KERN_INFO "print running process kernel module unloaded\n");
}

module_init(running_init);
module_exit(running_exit);
