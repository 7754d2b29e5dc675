/* Lab 1, part 0 - hello world module
 * Ana Souza
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ana Souza");
MODULE_DESCRIPTION("hello world lkm");

static int __init hello_init(void)
{
    printk("Hello World from a module\n");
    return 0;
}

static void __exit hello_exit(void)
{
    printk("Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
