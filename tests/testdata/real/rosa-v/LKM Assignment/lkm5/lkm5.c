#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Rosa V");
MODULE_DESCRIPTION("Size of VAS and PAS");

static int pid = 0;
module_param(pid, int, 0644);
MODULE_PARM_DESC(pid, "Process ID");

static int __init lkm5_init(void) {
    struct task_struct *task;
    struct mm_struct *mm;
    unsigned long rss, vm;

    rcu_read_lock();
    task = pid_task(find_vpid(pid), PIDTYPE_PID);
    if (task != NULL) {
        get_task_struct(task);
    }
    rcu_read_unlock();
    if (task == NULL) {
        printk(KERN_ERR "lkm5: no process with pid %d\n", pid);
        return 0;
    }
    mm = get_task_mm(task);
    if (mm == NULL) {
        printk(KERN_ERR "lkm5: pid %d has no memory map\n", pid);
        put_task_struct(task);
        return 0;
    }
    rss = get_mm_rss(mm) << (PAGE_SHIFT - 10);
    vm = mm->total_vm << (PAGE_SHIFT - 10);
    printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", pid);
    printk(KERN_INFO "Task: %s\n", task->comm);
    printk(KERN_INFO "rss side: %lu KiB\tvm size: %lu KiB\n", rss, vm);
    mmput(mm);
    put_task_struct(task);
    return 0;
}

static void __exit lkm5_exit(void) {
    printk(KERN_INFO "lkm unloaded\n");
}

module_init(lkm5_init);
module_exit(lkm5_exit);
