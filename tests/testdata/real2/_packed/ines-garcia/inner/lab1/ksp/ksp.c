/* Ines Garcia - Lab 1 - ejercicio 3: pila de kernel del proceso 1 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/pid.h>

static int __init ksp_init(void)
{
	struct task_struct *init_proc;

	printk(KERN_INFO "stack pointer lkm loaded\n");
	rcu_read_lock();
	init_proc = pid_task(find_vpid(1), PIDTYPE_PID);
	if (init_proc != NULL)
		printk(KERN_INFO "PID: 1 has kernel stack at %px\n", init_proc->stack);
	rcu_read_unlock();
	return 0;
}

static void __exit ksp_exit(void)
{
	printk(KERN_INFO "stack pointer lkm unloaded\n");
}

module_init(ksp_init);
module_exit(ksp_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ines Garcia");
