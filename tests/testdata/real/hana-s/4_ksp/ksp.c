#include <linux/init.h>
#include <linux/module.h>
#include <linux/sched.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Hana S.");

static int __init ksp_init(void)
{
	struct task_struct *task = current;

	pr_info("stack pointer lkm loaded\n");
	pr_info("PID: %d has kernel stack at %px\n", task->pid, task->stack);
	return 0;
}

static void __exit ksp_exit(void)
{
	pr_info("stack pointer lkm unloaded\n");
}

module_init(ksp_init);
module_exit(ksp_exit);
