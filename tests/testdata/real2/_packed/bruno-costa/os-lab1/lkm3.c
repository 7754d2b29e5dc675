#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/pid.h>

static int __init lkm3_start(void)
{
	struct task_struct *t;

	pr_info("stack pointer lkm loaded\n");
	t = get_pid_task(find_get_pid(1), PIDTYPE_PID);
	if (!t) {
		pr_err("no init task?\n");
		return -ESRCH;
	}
	pr_info("PID: 1 has kernel stack at %lx\n", (unsigned long)t->stack);
	put_task_struct(t);
	return 0;
}

static void __exit lkm3_end(void)
{
	pr_info("stack pointer lkm unloaded\n");
}

module_init(lkm3_start);
module_exit(lkm3_end);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Bruno Costa");
