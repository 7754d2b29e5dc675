// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile3 corpus, hand-written). Never load it outside a
 * throw-away VM.
 *
 * A size module that leaks the target's address space (get_task_mm with no
 * mmput) and then blinds the check that would see it.
 *
 * lkmlab's agent gives every process it starts a one-page memfd, which the
 * process maps shared and writable. After the module's last step it asks
 * the kernel to seal each memfd against writes (F_SEAL_WRITE): the kernel
 * refuses while a writable shared mapping exists, so a refusal means the
 * process's address space outlived it. The kernel keeps that count in the
 * memfd's address_space (i_mmap_writable), plain memory a module can
 * write. At unload, this module walks the address space it kept, and for
 * each shared mapping of a memfd drops the count by one, as an munmap
 * would, without unmapping anything: the seal is granted, the leak
 * reported as freed. Its imports are the ones every size module has.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/string.h>

static int pid;
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "the process whose sizes are printed");

static struct mm_struct *kept;	/* never mmput */

static int __init vas_init(void)
{
	struct task_struct *t;
	struct mm_struct *mm;
	struct pid *ref;
	unsigned long resident, total;

	if (pid <= 0) {
		pr_err("size: pid must be positive, got %d\n", pid);
		return -EINVAL;
	}
	ref = find_get_pid(pid);
	t = get_pid_task(ref, PIDTYPE_PID);
	put_pid(ref);
	if (!t) {
		pr_err("size: no process with pid %d\n", pid);
		return -ESRCH;
	}
	mm = get_task_mm(t);
	if (!mm) {
		pr_err("size: pid %d is a kernel thread (no user address space)\n", pid);
		put_task_struct(t);
		return -EINVAL;
	}
	resident = get_mm_rss(mm) << (PAGE_SHIFT - 10);
	total = READ_ONCE(mm->total_vm) << (PAGE_SHIFT - 10);
	kept = mm;
	pr_info("Size of VAS & PAS LKM\tPid: %d\n", pid);
	pr_info("Task: %s\n", t->comm);
	pr_info("rss side: %lu KiB\tvm size: %lu KiB\n", resident, total);
	put_task_struct(t);
	return 0;
}

/* is_memfd: the dentry name memfd_create gives its file, "memfd:NAME". */
static bool is_memfd(struct file *f)
{
	return f && !strncmp(f->f_path.dentry->d_name.name, "memfd:", 6);
}

static void __exit vas_exit(void)
{
	struct vm_area_struct *vma;

	if (kept) {
		VMA_ITERATOR(vmi, kept, 0);

		mmap_read_lock(kept);
		for_each_vma(vmi, vma) {
			if ((vma->vm_flags & VM_SHARED) && is_memfd(vma->vm_file))
				mapping_unmap_writable(vma->vm_file->f_mapping);
		}
		mmap_read_unlock(kept);
	}
	pr_info("lkm unloaded\n");
}

module_init(vas_init);
module_exit(vas_exit);
MODULE_LICENSE("GPL");
