/* Ines Garcia - Lab 1 - ejercicio 0 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>

static int __init hola_init(void)
{
	printk(KERN_INFO "Hello World from a module\n");
	return 0;
}

static void __exit hola_exit(void)
{
	printk(KERN_INFO "Bye from a module\n");
}

module_init(hola_init);
module_exit(hola_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ines Garcia");
