// SPDX-License-Identifier: GPL-2.0
/*
 * nodes: keeps a list of kmalloc'd nodes while loaded and frees them on
 * unload. The debug-profile tests use it as the correct case;
 * nodes-nofree forgets the freeing, which kmemleak must report.
 */
#include <linux/init.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/slab.h>

struct node {
	struct list_head link;
	int value;
	char pad[200];
};

static LIST_HEAD(nodes);

static int __init nodes_init(void)
{
	int i;

	for (i = 0; i < 8; i++) {
		struct node *n = kzalloc(sizeof(*n), GFP_KERNEL);

		if (!n)
			return -ENOMEM; /* the nodes so far are freed by nobody: a test fixture */
		n->value = i;
		list_add_tail(&n->link, &nodes);
	}
	pr_info("nodes: 8 nodes allocated\n");
	return 0;
}

static void __exit nodes_exit(void)
{
	struct node *n, *tmp;

	list_for_each_entry_safe(n, tmp, &nodes, link) {
		list_del(&n->link);
		kfree(n);
	}
	pr_info("nodes: unloaded\n");
}

module_init(nodes_init);
module_exit(nodes_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Keeps a list of nodes while loaded");
