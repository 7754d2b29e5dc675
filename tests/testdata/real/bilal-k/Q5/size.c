// Q5: resident set size and virtual memory size of a process, in KiB
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/mm.h>
#include <linux/pid.h>

static int given_pid = 0;
module_param(given_pid, int, 0644);
MODULE_PARM_DESC(given_pid, "pid of the process");

static int __init size_start(void)
{
    struct task_struct *task;
    struct mm_struct *mm;
    struct pid *spid;
    unsigned long rss, vm;

    if (given_pid <= 0) {
        pr_err("size: bad pid %d\n", given_pid);
        return -EINVAL;
    }
    spid = find_get_pid(given_pid);
    task = get_pid_task(spid, PIDTYPE_PID);
    put_pid(spid);
    if (!task) {
        pr_err("size: no such process %d\n", given_pid);
        return -ESRCH;
    }
    mm = get_task_mm(task);
    if (!mm) {
        pr_err("size: process %d has no user memory\n", given_pid);
        put_task_struct(task);
        return -EINVAL;
    }

    rss = get_mm_rss(mm) * (PAGE_SIZE / 1024);
    vm = mm->total_vm * (PAGE_SIZE / 1024);
    pr_info("Size of VAS & PAS LKM\tPid: %d\n", given_pid);
    pr_info("Task: %s\n", task->comm);
    pr_info("rss side: %lu KiB\tvm size: %lu KiB\n", rss, vm);

    mmput(mm);
    put_task_struct(task);
    return 0;
}

static void __exit size_end(void)
{
    pr_info("lkm unloaded\n");
}

module_init(size_start);
module_exit(size_end);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Bilal K");
