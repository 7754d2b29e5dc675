/* Pedro Alves - Trabalho 1 - parte 2: maior heap */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/sched/signal.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Pedro Alves");

static int __init heap_init(void)
{
	struct task_struct *p;
	unsigned long maior = 0;
	pid_t pid_maior = 0;

	printk(KERN_INFO "largest heap memory lkm loaded\n");
	rcu_read_lock();
	for_each_process(p) {
		if (p->mm && p->mm->brk - p->mm->start_brk > maior) {
			maior = p->mm->brk - p->mm->start_brk;
			pid_maior = p->pid;
		}
	}
	rcu_read_unlock();
	printk(KERN_INFO "PID: %d has max heap usage with: %lu\n", pid_maior, maior);
	return 0;
}

static void __exit heap_exit(void)
{
	printk(KERN_INFO "largest heap memory lkm unloaded\n");
}

module_init(heap_init);
module_exit(heap_exit);
