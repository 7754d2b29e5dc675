/* lab.h - shared by the lab modules (Rafael Nunes) */
#ifndef RAFAEL_LAB_H
#define RAFAEL_LAB_H

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#define LAB_AUTHOR "Rafael Nunes"

/* bytes of heap of a process, 0 for kernel threads */
static inline unsigned long lab_heap_bytes(struct task_struct *t)
{
	struct mm_struct *mm = t->mm;

	return mm ? mm->brk - mm->start_brk : 0;
}

#endif
