// Elena Petrova -- lab 1, task 3
//
// find_task_by_vpid() is what the kernel itself uses to go from a pid to
// a task, but modules cannot call it directly, so look it up by name.
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/kallsyms.h>
#include <linux/sched.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Elena Petrova");

typedef struct task_struct *(*find_task_fn)(pid_t nr);

static int __init stack_init(void)
{
	find_task_fn find_task;
	struct task_struct *init;

	printk(KERN_INFO "stack pointer lkm loaded\n");
	find_task = (find_task_fn)kallsyms_lookup_name("find_task_by_vpid");
	if (!find_task) {
		printk(KERN_ERR "find_task_by_vpid not found\n");
		return -ENOENT;
	}
	rcu_read_lock();
	init = find_task(1);
	if (init)
		printk(KERN_INFO "PID: 1 has kernel stack at %px\n", init->stack);
	rcu_read_unlock();
	return 0;
}

static void __exit stack_exit(void)
{
	printk(KERN_INFO "stack pointer lkm unloaded\n");
}

module_init(stack_init);
module_exit(stack_exit);
