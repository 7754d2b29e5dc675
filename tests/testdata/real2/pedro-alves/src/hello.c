/* Pedro Alves - Trabalho 1 - parte 0 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Pedro Alves");

static int __init ola_init(void)
{
	printk(KERN_INFO "Hello World from a module\n");
	return 0;
}

static void __exit ola_exit(void)
{
	printk(KERN_INFO "Bye from a module\n");
}

module_init(ola_init);
module_exit(ola_exit);
