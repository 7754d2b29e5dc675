// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture (hostile): reads another process's memory with
 * access_process_vm, which no module of the course needs.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

static int pid = 1;
module_param(pid, int, 0);

static int __init peek_init(void)
{
	struct task_struct *task;
	char buf[16];
	int n;

	task = get_pid_task(find_vpid(pid), PIDTYPE_PID);
	if (!task)
		return -ESRCH;
	n = access_process_vm(task, 0x400000, buf, sizeof(buf), 0);
	put_task_struct(task);
	pr_info("peek: read %d bytes\n", n);
	return 0;
}

static void __exit peek_exit(void)
{
}

module_init(peek_init);
module_exit(peek_exit);
MODULE_LICENSE("GPL");
