#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Isabel Moreno");

static int __init lkm1_start(void)
{
	struct task_struct *task;
	char comm[TASK_COMM_LEN];

	printk(KERN_INFO "print running process kernel module loaded\n");
	printk(KERN_INFO "PID\tPROC\n");
	printk(KERN_INFO "---------------\n");
	rcu_read_lock();
	for_each_process(task) {
		if (task_is_running(task)) {
			get_task_comm(comm, task);
			printk(KERN_INFO "%d\t%s\n", task_pid_nr(task), comm);
		}
	}
	rcu_read_unlock();
	return 0;
}

static void __exit lkm1_end(void)
{
	printk(KERN_INFO "print running process kernel module unloaded\n");
}

module_init(lkm1_start);
module_exit(lkm1_end);
