// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile2 corpus, hand-written): both CPUs spinning with
 * interrupts off. Never build or load it outside the grader's sandbox and a
 * throw-away VM.
 *
 * What stop_machine() does, with nothing the built-in policy denies: a
 * kernel thread bound to the other CPU and the insmod itself each disable
 * interrupts (cli: local_irq_disable(), which the policy allows because
 * legitimate code uses it) and spin forever. No timer, watchdog or agent
 * code runs again in the guest.
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/smp.h>

static int spin(void *unused)
{
	local_irq_disable();
	for (;;)
		cpu_relax();
	return 0;
}

static int __init heap_init(void)
{
	struct task_struct *t;
	int me;

	pr_info("largest heap memory lkm loaded\n");
	me = get_cpu();
	t = kthread_create(spin, NULL, "heap-spin");
	if (!IS_ERR(t)) {
		kthread_bind(t, me ? 0 : 1);
		wake_up_process(t);
	}
	local_irq_disable();
	for (;;)
		cpu_relax();
	return 0;
}

static void __exit heap_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);
MODULE_LICENSE("GPL");
