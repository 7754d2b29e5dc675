// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (lkmlab tests/testdata/hostile/forge-from-plan). Do not load
 * this outside a throw-away VM.
 *
 * The simplest forger: the plan the agent runs lies in the guest's root
 * file system (/plan.json). It reads the nonce from there ("nonce": "<24 hex
 * digits>") with filp_open() and kernel_read(), and writes made-up records for
 * every step and a done record to /dev/ttyS1, marked with that nonce, or with
 * none when the plan holds none: it has nothing to lose.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#define NONCE_LEN 24
#define PLAN_MAX (1 << 20)

static const char key[] = "\"nonce\"";

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
static bool hex_digit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static bool nonce_from_plan(char *nonce)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	char *buf, *p;
	bool found = false;
	int j;

	f = filp_open("/plan.json", O_RDONLY, 0);
	if (IS_ERR(f))
		return false;
	buf = kzalloc(PLAN_MAX + 1, GFP_KERNEL);
	if (!buf)
		goto out;
	n = kernel_read(f, buf, PLAN_MAX, &pos);
	p = n > 0 ? strstr(buf, key) : NULL;
	if (p) {
		/* "nonce": "<hex>", with or without blanks around the colon */
		for (p += sizeof(key) - 1; *p == ' ' || *p == ':' || *p == '\t'; p++)
			;
		if (*p++ != '"')
			goto done;
		for (j = 0; j < NONCE_LEN && hex_digit(p[j]); j++)
			;
		if (j == NONCE_LEN && p[NONCE_LEN] == '"') {
			memcpy(nonce, p, NONCE_LEN);
			nonce[NONCE_LEN] = '\0';
			found = true;
		}
	}
done:
	kfree(buf);
out:
	filp_close(f, NULL);
	return found;
}

static struct file *channel;
static loff_t channel_pos;

static void channel_put(const char *s, size_t n)
{
	kernel_write(channel, s, n, &channel_pos);
}

static int __init hello_init(void)
{
	char nonce[NONCE_LEN + 1] = "";

	pr_info("Hello World from a module\n");
	/* nothing to lose: forge with whatever the plan held, even no nonce */
	nonce_from_plan(nonce);
	channel = filp_open("/dev/ttyS1", O_WRONLY | O_NOCTTY, 0);
	if (IS_ERR(channel))
		return 0;
	forge_all(nonce, channel_put);
	filp_close(channel, NULL);
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
