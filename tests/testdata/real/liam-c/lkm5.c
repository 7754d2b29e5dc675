#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");

static int pid = 0;
module_param(pid, int, 0);

static int __init lkm5_init(void)
{
        struct task_struct *task;
        struct mm_struct *mm;

        if (pid <= 0) {
                printk(KERN_ERR "lkm5: need a pid\n");
                return -EINVAL;
        }
        rcu_read_lock();
        task = pid_task(find_vpid(pid), PIDTYPE_PID);
        if (task)
                get_task_struct(task);
        rcu_read_unlock();
        if (!task) {
                printk(KERN_ERR "lkm5: no such pid %d\n", pid);
                return -ESRCH;
        }
        mm = get_task_mm(task);
        if (!mm) {
                printk(KERN_ERR "lkm5: pid %d has no mm\n", pid);
                put_task_struct(task);
                return -EINVAL;
        }
        printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", pid);
        printk(KERN_INFO "Task: %s\n", task->comm);
        printk(KERN_INFO "rss: %lu pages\tvm: %lu pages\n", get_mm_rss(mm), mm->total_vm);
        mmput(mm);
        put_task_struct(task);
        return 0;
}

static void __exit lkm5_exit(void)
{
        printk(KERN_INFO "lkm unloaded\n");
}

module_init(lkm5_init);
module_exit(lkm5_exit);
