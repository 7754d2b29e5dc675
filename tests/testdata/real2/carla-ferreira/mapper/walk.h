#ifndef MAPPER_WALK_H
#define MAPPER_WALK_H

#include <linux/mm_types.h>

/* result of a walk */
struct walk_result {
	int mapped;
	unsigned long pfn;
	unsigned long phys;
};

void walk_va(struct mm_struct *mm, unsigned long va, struct walk_result *res);

#endif
