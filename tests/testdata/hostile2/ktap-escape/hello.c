// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile2 corpus, hand-written): a compiler error that drives
 * a terminal. Never build or load it outside the grader's sandbox.
 *
 * The #error line below holds raw control bytes: ESC [2J ESC [H (clear the
 * screen, cursor home), ESC [32m (green), ESC ] 0 ; ... BEL (the terminal's
 * title) and 0x1C (a line break for Python's str.splitlines, which KTAP
 * readers such as kunit_tool use). gcc copies them into its message.
 */
#error [2J[H[32mok 1 - all tasks passed]0;lkmlab: 49/49ok 1 hello
#include <linux/module.h>
MODULE_LICENSE("GPL");
