#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/pid.h>
#include <asm/processor.h>

static int __init ksp_init(void)
{
	struct task_struct *t;

	pr_info("stack pointer lkm loaded\n");
	rcu_read_lock();
	t = pid_task(find_vpid(1), PIDTYPE_PID);
	if (t)
		/* the stack pointer saved in the task's registers */
		pr_info("PID: 1 has kernel stack at %lx\n", task_pt_regs(t)->sp);
	rcu_read_unlock();
	return 0;
}

static void __exit ksp_exit(void)
{
	pr_info("stack pointer lkm unloaded\n");
}

module_init(ksp_init);
module_exit(ksp_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("Rafael Nunes");
