/* Ines Garcia - Lab 1 - ejercicio 5: tamano de VAS y PAS (KiB) */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/pid.h>

static int pid = -1;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "PID del proceso");

static int __init size_init(void)
{
	struct task_struct *t;
	struct mm_struct *mm;

	if (pid < 1) {
		printk(KERN_ERR "size: pid invalido %d\n", pid);
		return -EINVAL;
	}
	t = get_pid_task(find_get_pid(pid), PIDTYPE_PID);
	if (!t) {
		printk(KERN_ERR "size: no existe el proceso %d\n", pid);
		return -ESRCH;
	}
	mm = get_task_mm(t);
	if (!mm) {
		printk(KERN_ERR "size: el proceso %d es un hilo del kernel\n", pid);
		put_task_struct(t);
		return -EINVAL;
	}
	printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", pid);
	printk(KERN_INFO "Task: %s\n", t->comm);
	printk(KERN_INFO "rss side: %lu KiB\tvm size: %lu KiB\n",
	       get_mm_rss(mm) << (PAGE_SHIFT - 10), mm->total_vm << (PAGE_SHIFT - 10));
	mmput(mm);
	put_task_struct(t);
	return 0;
}

static void __exit size_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(size_init);
module_exit(size_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ines Garcia");
