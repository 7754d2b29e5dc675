#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Jonas B.");

static int __init lkm3_init(void)
{
	struct task_struct *init_proc;

	printk(KERN_INFO "stack pointer lkm loaded\n");
	init_proc = find_task_by_vpid(1);
	if (init_proc)
		printk(KERN_INFO "PID: %d has kernel stack at %px\n", init_proc->pid, init_proc->stack);
	return 0;
}

static void __exit lkm3_exit(void)
{
	printk(KERN_INFO "stack pointer lkm unloaded\n");
}

module_init(lkm3_init);
module_exit(lkm3_exit);
