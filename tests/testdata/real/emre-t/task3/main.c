#include <linux/module.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");

static int __init start(void)
{
	struct task_struct *proc;

	pr_info("stack pointer lkm loaded\n");
	rcu_read_lock();
	proc = pid_task(find_vpid(1), PIDTYPE_PID);
	if (proc)
		/* the stack pointer saved when init was switched out */
		pr_info("PID: %d has kernel stack at %lx\n", proc->pid, proc->thread.sp);
	rcu_read_unlock();
	return 0;
}

static void __exit finish(void)
{
	pr_info("stack pointer lkm unloaded\n");
}

module_init(start);
module_exit(finish);
