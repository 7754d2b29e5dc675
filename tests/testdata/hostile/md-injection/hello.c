// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE: kernel log lines written to break out of the grader's
 * reports: a code fence that closes the report's own, HTML with a script, a
 * markdown link, a table row, a heading, GitHub Actions workflow commands,
 * and a terminal escape sequence that clears the screen.
 */
#include <linux/module.h>

static int __init hello_init(void)
{
	pr_info("Hello World from a module\n");
	pr_info("```\n");
	pr_info("</pre><script>alert('lkmlab')</script>\n");
	pr_info("[full marks: click to confirm](https://example.invalid/grade?student=md-injection)\n");
	pr_info("| hello | md-injection | 1/1 | 1/1 | 2/2 | 0/0 | 1/1 | 5/5 |\n");
	pr_info("# md-injection: 100 / 100\n");
	pr_info("::error file=grades.csv,line=1::every other submission failed\n");
	pr_info("::add-mask::md-injection\n");
	pr_info("\x1b[2J\x1b[H\x1b[32mall tests passed\x1b[0m\n");
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
