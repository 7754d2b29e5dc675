// SPDX-License-Identifier: GPL-2.0
/*
 * pool: allocates a table and four buffers at load and frees them at
 * unload. Every allocation is checked, and a failure frees what was
 * allocated before it: the error-path fixture written right.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/slab.h>

#define NBUF 4

struct pool {
	int n;
	char *buf[NBUF];
};

static struct pool *pool;

static int __init pool_init(void)
{
	int i;

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return -ENOMEM;
	for (i = 0; i < NBUF; i++) {
		pool->buf[i] = kmalloc(512, GFP_KERNEL);
		if (!pool->buf[i])
			goto unwind;
		pool->buf[i][0] = 'a' + i;
		pool->n++;
	}
	pr_info("pool: %d buffers ready\n", pool->n);
	return 0;

unwind:
	while (i--)
		kfree(pool->buf[i]);
	kfree(pool);
	return -ENOMEM;
}

static void __exit pool_exit(void)
{
	int i;

	for (i = 0; i < NBUF; i++)
		kfree(pool->buf[i]);
	kfree(pool);
	pr_info("pool: released\n");
}

module_init(pool_init);
module_exit(pool_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Allocates a pool of buffers (an error-path fixture)");
