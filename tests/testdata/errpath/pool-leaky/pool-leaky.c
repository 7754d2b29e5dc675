// SPDX-License-Identifier: GPL-2.0
/*
 * pool-leaky: the pool fixture whose error path returns without freeing
 * what it allocated before the failure: a leak only an error-path sweep
 * (with kmemleak) brings out.
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
	/* The bug: the buffers and the table allocated so far are not freed. */
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
