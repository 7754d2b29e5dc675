/* Pedro Alves - Trabalho 1 - parte 3: pilha do kernel do pid 1 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/pid.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Pedro Alves");

static int __init ksp_init(void)
{
	struct task_struct *t;

	printk(KERN_INFO "stack pointer lkm loaded\n");
	rcu_read_lock();
	t = pid_task(find_vpid(1), PIDTYPE_PID);
	if (t)
		printk(KERN_INFO "PID: 1 has kernel stack at %px\n", t->stack);
	rcu_read_unlock();
	return 0;
}

static void __exit ksp_exit(void)
{
	printk(KERN_INFO "stack pointer lkm unloaded\n");
}

module_init(ksp_init);
module_exit(ksp_exit);
