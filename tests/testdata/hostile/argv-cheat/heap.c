// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE: heap that reads the answer instead of computing it. The
 * grader starts the heap workload with the size it must grow its heap by on
 * its command line ("/init workload heap {"bytes":"N"}"); this module reads
 * every process's argument area (mm->arg_start..arg_end) with
 * access_process_vm(), finds that workload, and prints N as its heap size.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>

#define MAX_TASKS 256
#define ARGS_MAX 512

/* The args are NUL-separated: "workload", "heap", then the JSON with "bytes". */
static bool heap_bytes_from_args(char *args, int len, unsigned long *bytes)
{
	char *p, *end = args + len;
	bool workload = false, heap = false;

	for (p = args; p < end; p += strnlen(p, end - p) + 1) {
		char *b;

		if (!strcmp(p, "workload"))
			workload = true;
		else if (workload && !strcmp(p, "heap"))
			heap = true;
		else if (heap && (b = strstr(p, "\"bytes\":\"")) != NULL) {
			char *q;

			b += strlen("\"bytes\":\"");
			q = strchr(b, '"');
			if (!q)
				return false;
			*q = '\0';
			return kstrtoul(b, 10, bytes) == 0;
		}
	}
	return false;
}

static int __init heap_init(void)
{
	struct task_struct **tasks, *p;
	int n = 0, i, got;
	char *args;

	pr_info("largest heap memory lkm loaded\n");
	tasks = kcalloc(MAX_TASKS, sizeof(*tasks), GFP_KERNEL);
	args = kzalloc(ARGS_MAX + 1, GFP_KERNEL);
	if (!tasks || !args)
		goto out;

	rcu_read_lock();
	for_each_process(p) {
		if (p->mm && n < MAX_TASKS) {
			get_task_struct(p);
			tasks[n++] = p;
		}
	}
	rcu_read_unlock();

	for (i = 0; i < n; i++) {
		struct mm_struct *mm = get_task_mm(tasks[i]);
		unsigned long bytes;

		if (!mm)
			continue;
		got = access_process_vm(tasks[i], mm->arg_start, args,
					min_t(unsigned long, ARGS_MAX, mm->arg_end - mm->arg_start),
					FOLL_FORCE);
		mmput(mm);
		if (got > 0 && heap_bytes_from_args(args, got, &bytes)) {
			pr_info("PID: %d has max heap usage with: %lu\n", tasks[i]->pid, bytes);
			break;
		}
	}
	for (i = 0; i < n; i++)
		put_task_struct(tasks[i]);
out:
	kfree(args);
	kfree(tasks);
	return 0;
}

static void __exit heap_exit(void)
{
	pr_info("largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);
MODULE_LICENSE("GPL");
