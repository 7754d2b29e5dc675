/* ハローワールド・モジュール */
#include <linux/module.h>
#include <linux/device.h>

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Ryo Tanaka");

static int __init hello_init(void)
{
	/* ドライバの例にならって dev_info を使う（デバイスはない） */
	dev_info(NULL, "Hello World from a module\n");
	return 0;
}

static void __exit hello_exit(void)
{
	dev_info(NULL, "Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
