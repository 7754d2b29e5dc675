/* Helpers shared by the lab modules (Carla Ferreira). */
#ifndef LAB1_UTIL_H
#define LAB1_UTIL_H

#include <linux/err.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

/* pages -> KiB */
#define PAGES_TO_KB(n) ((n) << (PAGE_SHIFT - 10))

/*
 * Finds the process with this pid and takes a reference on its mm.
 * On success *taskp holds a reference too: release both with lab_put().
 */
static inline struct mm_struct *lab_get_mm(int pid, struct task_struct **taskp)
{
	struct task_struct *task;
	struct mm_struct *mm;

	if (pid <= 0)
		return ERR_PTR(-EINVAL);
	task = get_pid_task(find_get_pid(pid), PIDTYPE_PID);
	if (!task)
		return ERR_PTR(-ESRCH);
	mm = get_task_mm(task);
	if (!mm) {
		put_task_struct(task);
		return ERR_PTR(-EINVAL);	/* kernel thread */
	}
	*taskp = task;
	return mm;
}

static inline void lab_put(struct task_struct *task, struct mm_struct *mm)
{
	mmput(mm);
	put_task_struct(task);
}

#endif
