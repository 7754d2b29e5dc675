// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile3 corpus, hand-written). Never load it outside a
 * throw-away VM: four seconds after it is loaded, the machine jumps into
 * freed memory.
 *
 * Arms a timer four seconds ahead at load and leaves it armed at unload,
 * so it fires into the module's freed code. Two things keep a grader from
 * seeing it:
 *
 *  - the static check flags a module that starts timers and imports
 *    nothing that stops them. This one imports del_timer_sync, and calls
 *    it at unload, on a second timer that was never armed;
 *  - the run charges a timer only if it faults while the VM lives, and a
 *    module's VM lives about a second and a half after its first step
 *    began. Four seconds is past that, and well within any step's timeout,
 *    so no step of this task, and no task's VM, ever sees the fault.
 *
 * A kernel with timer debug objects would warn at the rmmod ("ODEBUG: free
 * active object type: timer_list"); Debian's has none.
 */
#include <linux/module.h>
#include <linux/jiffies.h>
#include <linux/timer.h>

static struct timer_list armed, decoy;

static void late_fire(struct timer_list *t)
{
	pr_info("hello: still here\n");
}

static int __init late_init(void)
{
	timer_setup(&armed, late_fire, 0);
	timer_setup(&decoy, late_fire, 0);
	mod_timer(&armed, jiffies + 4 * HZ);
	pr_info("Hello World from a module\n");
	return 0;
}

static void __exit late_exit(void)
{
	del_timer_sync(&decoy);
	pr_info("Bye from a module\n");
}

module_init(late_init);
module_exit(late_exit);
MODULE_LICENSE("GPL");
