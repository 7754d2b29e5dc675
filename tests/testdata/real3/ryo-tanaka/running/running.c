/* 実行中・実行可能なプロセスの一覧 */
#include <linux/module.h>
#include <linux/device.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ryo Tanaka");

static int __init running_init(void)
{
	struct task_struct *p;

	dev_info(NULL, "print running process kernel module loaded\n");
	dev_info(NULL, "PID\tPROC\n");
	dev_info(NULL, "---------------\n");
	rcu_read_lock();
	for_each_process(p) {
		/* TASK_RUNNING = 実行中または実行可能 */
		if (task_is_running(p))
			dev_info(NULL, "%d\t%s\n", p->pid, p->comm);
	}
	rcu_read_unlock();
	return 0;
}

static void __exit running_exit(void)
{
	dev_info(NULL, "print running process kernel module unloaded\n");
}

module_init(running_init);
module_exit(running_exit);
