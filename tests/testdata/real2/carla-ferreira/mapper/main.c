/* Mapper: virtual -> physical address of a process (Carla Ferreira). */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/pid.h>
#include <linux/mm.h>
#include "walk.h"

MODULE_LICENSE("GPL");

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "process id");

static unsigned long addr;
module_param(addr, ulong, 0);
MODULE_PARM_DESC(addr, "virtual address");

static int __init mapper_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	struct walk_result res;

	task = get_pid_task(find_get_pid(pid), PIDTYPE_PID);
	if (!task) {
		pr_err("mapper: no process with pid %d\n", pid);
		return -ESRCH;
	}
	mm = get_task_mm(task);
	if (!mm) {
		pr_err("mapper: pid %d has no user memory\n", pid);
		put_task_struct(task);
		return -EINVAL;
	}
	if (addr >= TASK_SIZE_MAX) {
		pr_err("mapper: %lx is not a user address\n", addr);
		goto out;
	}

	pr_info("LKM loaded\tPid: %d\tAddress: %lx\n", pid, addr);
	pr_info("Task: %s\n", task->comm);

	mmap_read_lock(mm);
	walk_va(mm, addr, &res);
	mmap_read_unlock(mm);

	if (res.mapped) {
		pr_info("The address %lx is valid\n", addr);
		pr_info("Page Frame Number: %lx\n", res.pfn);
		pr_info("Physical Address: %lx\n", res.phys);
	} else {
		pr_info("The address %lx is not mapped\n", addr);
	}
out:
	mmput(mm);
	put_task_struct(task);
	return 0;
}

static void __exit mapper_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(mapper_init);
module_exit(mapper_exit);
