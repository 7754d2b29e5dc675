// running.c -- Jamal Wright, OS lab 1
//
// The list is printed by a kernel thread of its own, so that insmod is
// not one of the "running" processes it finds. The thread then waits to
// be stopped by the exit function.
#include <linux/module.h>
#include <linux/init.h>
#include <linux/printk.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

static struct task_struct *lister;

static int list_running(void *unused)
{
	struct task_struct *p;

	pr_info("PID\tPROC\n");
	pr_info("---------------\n");
	rcu_read_lock();
	for_each_process(p)
		if (task_is_running(p))
			pr_info("%d\t%s\n", p->pid, p->comm);
	rcu_read_unlock();

	while (!kthread_should_stop())
		msleep_interruptible(100);
	return 0;
}

static int __init running_init(void)
{
	pr_info("print running process kernel module loaded\n");
	lister = kthread_run(list_running, NULL, "lkm1_lister");
	if (IS_ERR(lister))
		return PTR_ERR(lister);
	return 0;
}

static void __exit running_exit(void)
{
	kthread_stop(lister);
	pr_info("print running process kernel module unloaded\n");
}

module_init(running_init);
module_exit(running_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Jamal Wright");
