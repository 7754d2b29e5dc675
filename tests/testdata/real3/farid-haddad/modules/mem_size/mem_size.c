#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Farid Haddad");

static int target;
module_param_named(pid_num, target, int, 0644);
MODULE_PARM_DESC(pid_num, "pid of the process");

static int __init mem_size_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long rss, vm;
	char name[TASK_COMM_LEN];

	if (target <= 0)
		return -EINVAL;
	rcu_read_lock();
	task = pid_task(find_vpid(target), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	get_task_comm(name, task);
	put_task_struct(task);
	if (!mm)
		return -EINVAL;

	mmap_read_lock(mm);
	vm = mm->total_vm;
	mmap_read_unlock(mm);
	rss = get_mm_rss(mm);
	mmput(mm);

	pr_info("Size of VAS & PAS LKM\tPid: %d\n", target);
	pr_info("Task: %s\n", name);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n", rss * PAGE_SIZE / 1024, vm * PAGE_SIZE / 1024);
	return 0;
}

static void __exit mem_size_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(mem_size_init);
module_exit(mem_size_exit);
