/* PID 1 のカーネルスタックのアドレス */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ryo Tanaka");

static int __init ksp_init(void)
{
	struct task_struct *t;

	pr_info("stack pointer lkm loaded\n");
	rcu_read_lock();
	t = pid_task(find_vpid(1), PIDTYPE_PID);
	if (t)
		get_task_struct(t);	/* 参照を取る */
	rcu_read_unlock();
	if (!t) {
		pr_err("PID 1 が見つからない\n");
		return -ESRCH;
	}
	/* %p だとハッシュされるので %px */
	pr_info("PID: 1 has kernel stack at %px\n", t->stack);
	put_task_struct(t);
	return 0;
}

static void __exit ksp_exit(void)
{
	pr_info("stack pointer lkm unloaded\n");
}

module_init(ksp_init);
module_exit(ksp_exit);
