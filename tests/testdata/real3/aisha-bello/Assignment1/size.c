#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL v2");
MODULE_AUTHOR("Aisha Bello");
MODULE_DESCRIPTION("VAS and PAS size of a process");

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "target process id");

static int __init size_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long rss_pages, rss_kb, vm_kb;
	char comm[TASK_COMM_LEN];

	if (pid < 1) {
		pr_warn("size: bad pid %d\n", pid);
		return -EINVAL;
	}
	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task) {
		pr_warn("size: pid %d not found\n", pid);
		return -ESRCH;
	}
	mm = get_task_mm(task);
	get_task_comm(comm, task);
	put_task_struct(task);
	if (!mm) {
		pr_warn("size: pid %d has no mm\n", pid);
		return -EINVAL;
	}

	rss_pages = get_mm_counter(mm, MM_FILEPAGES) +
		    get_mm_counter(mm, MM_ANONPAGES) +
		    get_mm_counter(mm, MM_SHMEMPAGES);
	rss_kb = rss_pages << (PAGE_SHIFT - 10);
	vm_kb = mm->total_vm << (PAGE_SHIFT - 10);
	mmput(mm);

	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n", rss_kb, vm_kb);
	return 0;
}

static void __exit size_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(size_init);
module_exit(size_exit);
