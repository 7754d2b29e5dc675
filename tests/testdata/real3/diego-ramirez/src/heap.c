#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/mm_types.h>

MODULE_LICENSE("GPL");

static int __init heap_init(void)
{
	struct task_struct *p, *winner = NULL;
	unsigned long most = 0;
	pid_t wpid = 0;

	pr_info("largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(p) {
		struct mm_struct *mm = READ_ONCE(p->mm);

		if (!mm)
			continue;
		if (mm->brk - mm->start_brk > most) {
			most = mm->brk - mm->start_brk;
			winner = p;
			wpid = p->pid;
		}
	}
	rcu_read_unlock();
	if (winner)
		pr_info("PID: %d has max heap usage with: %lu\n", wpid, most);
	return 0;
}

static void __exit heap_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);
