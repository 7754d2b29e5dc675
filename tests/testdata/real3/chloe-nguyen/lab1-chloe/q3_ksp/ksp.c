// Q3: kernel stack of pid 1, printed from a timer.
// The timer re-arms itself every half second so I can watch pid 1's
// stack over time (it only prints the first time, the rest was too
// noisy).
#include <linux/module.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/pid.h>
#include <linux/timer.h>
#include <linux/jiffies.h>

static struct timer_list ksp_timer;
static bool printed;

static void ksp_tick(struct timer_list *t)
{
	struct task_struct *init;

	if (!printed) {
		rcu_read_lock();
		init = pid_task(find_vpid(1), PIDTYPE_PID);
		if (init)
			pr_info("PID: 1 has kernel stack at %px\n", init->stack);
		rcu_read_unlock();
		printed = true;
	}
	mod_timer(&ksp_timer, jiffies + HZ / 2);
}

static int __init ksp_init(void)
{
	pr_info("stack pointer lkm loaded\n");
	timer_setup(&ksp_timer, ksp_tick, 0);
	mod_timer(&ksp_timer, jiffies + HZ / 20);
	return 0;
}

static void __exit ksp_exit(void)
{
	pr_info("stack pointer lkm unloaded\n");
}

module_init(ksp_init);
module_exit(ksp_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("Chloe Nguyen");
