/* Size of the virtual and physical address space (Carla Ferreira). */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include "../common/util.h"

MODULE_LICENSE("GPL");

static int pid;
module_param(pid, int, 0);
MODULE_PARM_DESC(pid, "process id");

static int __init size_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;

	mm = lab_get_mm(pid, &task);
	if (IS_ERR(mm)) {
		pr_err("size: cannot use pid %d\n", pid);
		return PTR_ERR(mm);
	}
	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", task->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n",
		PAGES_TO_KB(get_mm_rss(mm)), PAGES_TO_KB(mm->total_vm));
	lab_put(task, mm);
	return 0;
}

static void __exit size_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(size_init);
module_exit(size_exit);
