/* Lab 1, part 5 - size of the virtual and physical address space
 * Ana Souza
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/mm.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ana Souza");

static int pid = -1;
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "process id");

static int __init size_init(void)
{
    struct task_struct *task;
    struct mm_struct *mm;
    unsigned long rss_kb, vm_kb;

    if (pid <= 0)
        return -EINVAL;
    task = get_pid_task(find_get_pid(pid), PIDTYPE_PID);
    if (!task)
        return -ESRCH;
    mm = get_task_mm(task);
    if (!mm) {
        put_task_struct(task);
        return -EINVAL;
    }

    rss_kb = get_mm_rss(mm) << (PAGE_SHIFT - 10);
    vm_kb = mm->total_vm << (PAGE_SHIFT - 10);

    printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", pid);
    printk(KERN_INFO "Task: %s\n", task->comm);
    printk(KERN_INFO "rss side: %lu KiB\tvm size: %lu KiB\n", rss_kb, vm_kb);

    mmput(mm);
    put_task_struct(task);
    return 0;
}

static void __exit size_exit(void)
{
    printk(KERN_INFO "lkm unloaded\n");
}

module_init(size_init);
module_exit(size_exit);
