#include<linux/module.h>
#include<linux/kernel.h>
#include<linux/init.h>
MODULE_LICENSE("GPL");

static int __init start(void){
    printk(KERN_INFO "Hello World from a module\n");
    return 0;
}
static void __exit end(void){
    printk(KERN_INFO "Bye from a module\n");
}
module_init(start);
module_exit(end);
