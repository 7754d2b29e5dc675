#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/pid.h>

static int process_id;
module_param(process_id, int, 0);
MODULE_PARM_DESC(process_id, "the process to inspect");

static int __init lkm5_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long rss_kib, vm_kib;

	if (process_id <= 0)
		return -EINVAL;
	rcu_read_lock();
	task = pid_task(find_vpid(process_id), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	if (!mm) {
		put_task_struct(task);
		return -EINVAL;
	}
	rss_kib = get_mm_rss(mm) << (PAGE_SHIFT - 10);
	vm_kib = mm->total_vm << (PAGE_SHIFT - 10);
	mmput(mm);

	pr_info("Size of VAS & PAS LKM\tPid: %d\n", process_id);
	pr_info("Task: %s\n", task->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n", rss_kib, vm_kib);
	put_task_struct(task);
	return 0;
}

static void __exit lkm5_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(lkm5_init);
module_exit(lkm5_exit);
MODULE_LICENSE("GPL");
