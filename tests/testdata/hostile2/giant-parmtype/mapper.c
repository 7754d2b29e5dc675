// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile2 corpus, hand-written): an 8 MiB parameter name.
 * Never build or load it outside the grader's sandbox and a throw-away VM.
 *
 * Beside two real parameters, a hand-written MODULE_INFO(parmtype, ...)
 * declares one more int parameter whose name is 8 MiB long, built by the
 * preprocessor from a 16-byte string doubled 19 times (the source stays
 * small). The grader reads parameters from .modinfo; with three that fit
 * the pid (two ints and an unsigned long), it names none, and says which
 * it found: every byte of the 8 MiB name, in every file it writes.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>

#define G0 "ppppppppppppppp_"
#define G1 G0 G0
#define G2 G1 G1
#define G3 G2 G2
#define G4 G3 G3
#define G5 G4 G4
#define G6 G5 G5
#define G7 G6 G6
#define G8 G7 G7
#define G9 G8 G8
#define G10 G9 G9
#define G11 G10 G10
#define G12 G11 G11
#define G13 G12 G12
#define G14 G13 G13
#define G15 G14 G14
#define G16 G15 G15
#define G17 G16 G16
#define G18 G17 G17
#define G19 G18 G18

static int target;
static unsigned long where;
module_param(target, int, 0444);
module_param(where, ulong, 0444);
MODULE_INFO(parmtype, G19 ":int");

static int __init walk_init(void)
{
	pr_info("LKM loaded\tPid: %d\tAddress: %lx\n", target, where);
	return 0;
}

static void __exit walk_exit(void)
{
	pr_info("lkm unloaded\n");
}

module_init(walk_init);
module_exit(walk_exit);
MODULE_LICENSE("GPL");
