#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>

MODULE_LICENSE("GPL");

static int __init my_init(void)
{
        printk(KERN_INFO "Hello World from a module\n");
        return 0;
}

static void __exit my_exit(void)
{
        printk(KERN_INFO "Bye from a module\n");
}

module_init(my_init);
module_exit(my_exit);
