/* Pedro Alves - Trabalho 1 - parte 5: tamanho do VAS e do PAS */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Pedro Alves");

static int pid;
module_param(pid, int, 0);

static int __init size_init(void)
{
	struct task_struct *t;
	struct mm_struct *mm;

	t = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (!t)
		return -ESRCH;
	mm = get_task_mm(t);
	if (!mm)
		return -EINVAL;
	printk(KERN_INFO "Size of VAS & PAS LKM\tPid: %d\n", pid);
	printk(KERN_INFO "Task: %s\n", t->comm);
	printk(KERN_INFO "rss side: %lu KiB\tvm size: %lu KiB\n",
	       get_mm_rss(mm) << (PAGE_SHIFT - 10), mm->total_vm << (PAGE_SHIFT - 10));
	mmput(mm);
	return 0;
}

static void __exit size_exit(void)
{
	printk(KERN_INFO "lkm unloaded\n");
}

module_init(size_init);
module_exit(size_exit);
