// SPDX-License-Identifier: Dual BSD/GPL
/*
 * groesse.c – Aufgabe 5: Größe des virtuellen Adressraums (VmSize) und
 * des residenten Speichers (VmRSS) eines Prozesses in KiB.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

MODULE_LICENSE("Dual BSD/GPL");
MODULE_AUTHOR("Emma Schulz");

static int pid = 0;
module_param(pid, int, S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH);
MODULE_PARM_DESC(pid, "PID des Prozesses");

static int __init groesse_init(void)
{
	struct task_struct *t;
	struct mm_struct *mm;
	unsigned long rss_kib, vm_kib;

	if (pid <= 0) {
		pr_err("groesse: ungültige PID %d\n", pid);
		return -EINVAL;
	}
	rcu_read_lock();
	t = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	if (!t) {
		pr_err("groesse: kein Prozess mit PID %d\n", pid);
		return -ESRCH;
	}
	mm = get_task_mm(t);
	if (!mm) {
		pr_err("groesse: PID %d ist ein Kernel-Thread\n", pid);
		put_task_struct(t);
		return -EINVAL;
	}
	/* Seiten → KiB */
	rss_kib = get_mm_rss(mm) << (PAGE_SHIFT - 10);
	vm_kib = mm->total_vm << (PAGE_SHIFT - 10);

	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", t->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n", rss_kib, vm_kib);
	mmput(mm);
	put_task_struct(t);
	return 0;
}

static void __exit groesse_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(groesse_init);
module_exit(groesse_exit);
