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
MODULE_AUTHOR("Maria G");

static int PID = 0;
module_param(PID, int, S_IRUGO);
MODULE_PARM_DESC(PID, "the process");

static int lkm5_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;

	if (PID <= 0)
		return -EINVAL;
	rcu_read_lock();
	task = pid_task(find_vpid(PID), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (task == NULL)
		return -ESRCH;
	mm = get_task_mm(task);
	if (mm == NULL) {
		put_task_struct(task);
		return -EINVAL;
	}
	printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", PID);
	printk(KERN_INFO "Task: %s\n", task->comm);
	printk(KERN_INFO "rss side: %lu bytes\tvm size: %lu bytes\n",
	       get_mm_rss(mm) * PAGE_SIZE, mm->total_vm * PAGE_SIZE);
	mmput(mm);
	put_task_struct(task);
	return 0;
}

static void lkm5_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(lkm5_init);
module_exit(lkm5_exit);
