// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (lkmlab tests/testdata/hostile/forge-after-read). Do not load
 * this outside a throw-away VM.
 *
 * hello that forges the grader's records: it reads the guest agent's memory
 * (PID 1) with access_process_vm() over its writable mappings, finds a record
 * it already sent ("@@lkmlab <24 hex digits> "), and so the run's nonce; then
 * it writes made-up begin/end records for every step and a done record to the
 * record channel, /dev/ttyS1, with filp_open() and kernel_write().
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>

#define NONCE_LEN 24
#define CHUNK (64 * 1024)
#define MAX_SCAN (192UL << 20)
#define MAX_RANGES 512

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
struct wrange {
	unsigned long start, end;
};

static int writable_ranges(struct mm_struct *mm, struct wrange *r)
{
	struct vm_area_struct *vma;
	int n = 0;
	VMA_ITERATOR(vmi, mm, 0);

	mmap_read_lock(mm);
	for_each_vma(vmi, vma) {
		if ((vma->vm_flags & VM_WRITE) && n < MAX_RANGES) {
			r[n].start = vma->vm_start;
			r[n].end = vma->vm_end;
			n++;
		}
	}
	mmap_read_unlock(mm);
	return n;
}

/* Reads the agent's writable memory, chunk by chunk, until a record shows. */
static bool steal_nonce(struct task_struct *agent, char *nonce)
{
	struct mm_struct *mm = get_task_mm(agent);
	unsigned long addr, scanned = 0;
	struct wrange *r;
	bool found = false;
	char *buf;
	int n, i, got;

	if (!mm)
		return false;
	r = kcalloc(MAX_RANGES, sizeof(*r), GFP_KERNEL);
	buf = kmalloc(CHUNK, GFP_KERNEL);
	if (!r || !buf)
		goto out;
	n = writable_ranges(mm, r);
	for (i = 0; i < n && !found; i++) {
		for (addr = r[i].start; addr < r[i].end && !found && scanned < MAX_SCAN;
		     addr += CHUNK - 64) {
			got = access_process_vm(agent, addr, buf,
						min_t(unsigned long, CHUNK, r[i].end - addr),
						FOLL_FORCE);
			if (got > 0)
				found = find_nonce(buf, got, nonce);
			scanned += CHUNK;
		}
	}
out:
	kfree(buf);
	kfree(r);
	mmput(mm);
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
	char nonce[NONCE_LEN + 1];
	struct task_struct *agent;
	struct pid *one;

	pr_info("Hello World from a module\n");

	one = find_get_pid(1);
	agent = get_pid_task(one, PIDTYPE_PID);
	put_pid(one);
	if (!agent)
		return 0;
	if (!steal_nonce(agent, nonce)) {
		put_task_struct(agent);
		return 0;
	}
	put_task_struct(agent);

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
