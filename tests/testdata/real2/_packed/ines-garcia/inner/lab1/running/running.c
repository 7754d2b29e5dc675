/* Ines Garcia - Lab 1 - ejercicio 1: procesos en estado running/runnable */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

static int __init running_init(void)
{
	struct task_struct *proc;

	printk(KERN_INFO "print running process kernel module loaded\n");
	printk(KERN_INFO "PID\tPROC\n");
	printk(KERN_INFO "---------------\n");
	rcu_read_lock();
	for_each_process(proc) {
		/* TASK_RUNNING = en la CPU o en la cola de listos */
		if (task_is_running(proc))
			printk(KERN_INFO "%d\t%s\n", proc->pid, proc->comm);
	}
	rcu_read_unlock();
	return 0;
}

static void __exit running_exit(void)
{
	printk(KERN_INFO "print running process kernel module unloaded\n");
}

module_init(running_init);
module_exit(running_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ines Garcia");
