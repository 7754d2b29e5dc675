// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile3 corpus, hand-written). Never build it outside
 * the grader's sandbox: its compiler output is unbounded.
 *
 * A build whose diagnostics are the attack. Eight headers of the
 * submission are each one #error line of about 900 KB, which the compiler
 * quotes twice (in the message and under it, with its caret): about 14 MB
 * of diagnostics in eight "error:" lines. Then a macro that doubles itself
 * eighteen times expands to 262144 _Pragma("GCC error") operators, each
 * reported with a note for every macro level it came through: hundreds of
 * megabytes of output, produced faster than a disk writes it, until a
 * limit ends the build. Whoever reads the build's output whole (to find
 * its error lines, to relabel paths, to quote it in a report, a log, a
 * KTAP or JUnit file, a CI annotation) reads all of it.
 */
#include <linux/module.h>
#include "shout1.h"
#include "shout2.h"
#include "shout3.h"
#include "shout4.h"
#include "shout5.h"
#include "shout6.h"
#include "shout7.h"
#include "shout8.h"

#define SHOUT0 _Pragma("GCC error \"lkmlab: again\"")
#define SHOUT1 SHOUT0 SHOUT0
#define SHOUT2 SHOUT1 SHOUT1
#define SHOUT3 SHOUT2 SHOUT2
#define SHOUT4 SHOUT3 SHOUT3
#define SHOUT5 SHOUT4 SHOUT4
#define SHOUT6 SHOUT5 SHOUT5
#define SHOUT7 SHOUT6 SHOUT6
#define SHOUT8 SHOUT7 SHOUT7
#define SHOUT9 SHOUT8 SHOUT8
#define SHOUT10 SHOUT9 SHOUT9
#define SHOUT11 SHOUT10 SHOUT10
#define SHOUT12 SHOUT11 SHOUT11
#define SHOUT13 SHOUT12 SHOUT12
#define SHOUT14 SHOUT13 SHOUT13
#define SHOUT15 SHOUT14 SHOUT14
#define SHOUT16 SHOUT15 SHOUT15
#define SHOUT17 SHOUT16 SHOUT16
#define SHOUT18 SHOUT17 SHOUT17
SHOUT18

static int __init greet_init(void)
{
	pr_info("Hello World from a module\n");
	return 0;
}

static void __exit greet_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(greet_init);
module_exit(greet_exit);
MODULE_LICENSE("GPL");
