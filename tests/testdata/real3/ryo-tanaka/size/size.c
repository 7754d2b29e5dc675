/* プロセスの仮想アドレス空間と常駐メモリのサイズ (KiB) */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ryo Tanaka");

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "対象のプロセス ID");

static int __init size_init(void)
{
	struct task_struct *t;
	struct mm_struct *mm;
	unsigned long rss, vm;

	if (pid <= 0)
		return -EINVAL;
	rcu_read_lock();
	t = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	if (!t)
		return -ESRCH;
	mm = get_task_mm(t);	/* カーネルスレッドなら NULL */
	if (!mm) {
		put_task_struct(t);
		return -EINVAL;
	}
	rss = get_mm_rss(mm) << (PAGE_SHIFT - 10);	/* ページ → KiB */
	vm = mm->total_vm << (PAGE_SHIFT - 10);
	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", t->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n", rss, vm);
	mmput(mm);
	put_task_struct(t);
	return 0;
}

static void __exit size_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(size_init);
module_exit(size_exit);
