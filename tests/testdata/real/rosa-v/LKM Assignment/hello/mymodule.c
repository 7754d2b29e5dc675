#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Rosa V");
MODULE_DESCRIPTION("Hello world");

static int __init mymodule_init(void) {
    printk(KERN_INFO "Hello World from a module\n");
    return 0;
}

static void __exit mymodule_exit(void) {
    printk(KERN_INFO "Bye from a module\n");
}

module_init(mymodule_init);
module_exit(mymodule_exit);
