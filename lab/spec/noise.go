package spec

import (
	"regexp"
	"strings"
)

// noise matches what the kernel itself prints about loading a module, and
// the asynchronous messages of timekeeping and scheduling that a slow or
// loaded emulated guest prints at any time; those lines are not the
// module's output. (Failures are found in the whole log, not this view.)
var noise = regexp.MustCompile(`^(?:` +
	`\S+: loading out-of-tree module taints kernel\.` +
	`|\S+: module verification failed: signature and/or required key missing - tainting kernel` +
	`|\S+: module license '.*' taints kernel\.` +
	`|\S+: module is from the staging directory, the quality is unknown, you have been warned\.` +
	`|Disabling lock debugging due to kernel taint` +
	`|\S+: module uses symbols .* marked GPL-only` +
	`|tsc: .*|clocksource: .*|timekeeping watchdog .*|TSC found unstable .*` +
	`|hrtimer: interrupt took \d+ ns|perf: interrupt took too long .*|sched: RT throttling activated` +
	`|NOHZ tick-stop error: .*|workqueue: .* hogged CPU .*` +
	`|random: crng init done` +
	`)$`)

// ModuleOutput drops the kernel's own messages about loading modules from
// a step's log text, leaving what the module printed. The kernel's warning
// about an init that returned a positive value is dropped whatever module
// it names; ModuleOutputOf drops it only for the module given.
func ModuleOutput(lines []string) []string {
	return ModuleOutputOf("", lines)
}

// ModuleOutputOf is ModuleOutput for the step of the module called name
// (its name in /proc/modules): the kernel's warning that its init returned
// a positive value, and the stack dump that follows it (initWarningLen),
// are dropped only when they name this module; "" accepts any name.
func ModuleOutputOf(name string, lines []string) []string {
	var kept []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			kept = append(kept, l) // a blank line says nothing: pr_info("\n") to space the output
		}
	}
	var out []string
	warned := false
	for i := 0; i < len(kept); i++ {
		if !warned {
			if n := initWarningLen(name, kept[i:]); n > 0 {
				// The kernel prints it once per load, and a step loads
				// one module: a second is the module's own text.
				warned = true
				i += n - 1
				continue
			}
		}
		if !noise.MatchString(kept[i]) {
			out = append(out, kept[i])
		}
	}
	return out
}

// The warning do_init_module (kernel/module/main.c; kernel/module.c in
// 5.10) prints when a module's init returns a positive value, the same in
// 5.10, 6.1 and 6.12: one printk of two lines,
//
//	"%s: '%s'->init suspiciously returned %d, it should follow 0/-E convention\n"
//	"%s: loading module anyway...\n"
//
// with __func__ and mod->name (at most MODULE_NAME_LEN-1 = 55 bytes), then
// dump_stack(). The module is loaded and live; the warning sets no taint.
var initWarning = regexp.MustCompile(`^do_init_module: '([^'\s]{1,55})'->init suspiciously returned [1-9][0-9]{0,9}, it should follow 0/-E convention$`)

const initAnyway = "do_init_module: loading module anyway..."

// maxDumpLines bounds the lines of dump_stack() dropped after the warning.
// The insmod path's dump is some 20 to 40 lines (the header, a dozen
// frames, a few unreliable "? " ones, eight of the syscall's registers on
// x86); lines past the bound are kept, as the module's.
const maxDumpLines = 100

// dumpHead is what dump_stack() prints before the frames, in order
// (dump_stack_print_info in lib/dump_stack.c, then show_stack):
//
//	5.10: "CPU: %d PID: %d Comm: %.20s %s%s %s %.*s%s"
//	6.1:  "CPU: %d PID: %d Comm: %.20s %s%s %s %.*s %s%s"
//	6.12: "CPU: %d UID: %u PID: %d Comm: %.20s %s%s %s %.*s %s%s"
//
// ("Kdump: loaded ", the taint, the release, the version's "#1", Debian's
// package id, a build id), in 6.12 the taint spelt out when there is one
// ("Tainted: [O]=OOT_MODULE, [E]=UNSIGNED_MODULE"), the machine when the
// arch set one, and "Call Trace:" (x86) or "Call trace:" (arm64). A task
// in a workqueue or the stopper prints one more line; insmod is neither.
var dumpHead = []struct {
	re       *regexp.Regexp
	optional bool
}{
	{regexp.MustCompile(`^CPU: \d{1,5} (?:UID: \d{1,10} )?PID: \d{1,10} Comm: [^\n]{1,20}? (?:Kdump: loaded )?(?:Not tainted|Tainted: [A-Z ]{18,24}) \S+ #\S+(?: .*)?$`), false},
	{regexp.MustCompile(`^Tainted: \[[A-Z]\]=[A-Z_]+(?:, \[[A-Z]\]=[A-Z_]+)*$`), true},
	{regexp.MustCompile(`^Hardware name: .{1,127}$`), true},
	{regexp.MustCompile(`^Call [Tt]race:$`), false},
}

// symbol is what %pS, %pB and %pBb print: "name+0xoff/0xsize", with
// " [module]" (and its build id) for a module's code, or a bare address.
const symbol = `(?:[A-Za-z_.$][\w.$]*\+0x[0-9a-f]+/0x[0-9a-f]+(?: \[[\w-]{1,56}(?: [0-9a-f]{40})?\])?|0x[0-9a-f]{1,16})`

// dumpLine matches a line of the trace itself: a frame (" %s%pB", "? "
// when unreliable; arm64's " %pSb"), a change of stack (" <IRQ>",
// " <TASK>"), and on x86 the registers saved where the syscall entered
// (__show_regs, SHOW_REGS_SHORT: RIP, Code, RSP and fifteen registers),
// the ORIG_RAX continuation alone when another record came between.
var dumpLine = regexp.MustCompile(`^(?:` +
	` (?:\? )?` + symbol +
	`| </?[A-Z0-9_#]{2,20}>` +
	`|RIP: [0-9a-f]{4}:` + symbol +
	`|Code: (?:[0-9a-f]{2} ){42}<[0-9a-f]{2}>(?: [0-9a-f]{2}){21}` +
	`|Code: Unable to access opcode bytes at (?:RIP )?0x[0-9a-f]+\.` +
	`|RSP: [0-9a-f]{4}:[0-9a-f]{16} EFLAGS: [0-9a-f]{8}(?: ORIG_RAX: [0-9a-f]{16})?` +
	`| ORIG_RAX: [0-9a-f]{16}` +
	`|RAX: [0-9a-f]{16} RBX: [0-9a-f]{16} RCX: [0-9a-f]{16}` +
	`|RDX: [0-9a-f]{16} RSI: [0-9a-f]{16} RDI: [0-9a-f]{16}` +
	`|RBP: [0-9a-f]{16} R08: [0-9a-f]{16} R09: [0-9a-f]{16}` +
	`|R10: [0-9a-f]{16} R11: [0-9a-f]{16} R12: [0-9a-f]{16}` +
	`|R13: [0-9a-f]{16} R14: [0-9a-f]{16} R15: [0-9a-f]{16}` +
	`)$`)

// dumpEnd closes the task's stack on x86 since 5.16 (6.1, 6.12); 5.10
// and arm64 print no end, and their dump ends at the first other line.
const dumpEnd = " </TASK>"

// initWarningLen is how many of lines, from the first, are the kernel's
// warning that the init of the module called name ("" for any) returned a
// positive value and the dump_stack() that follows it; 0 when lines do not
// start with that warning. Only the known line shapes in their order are
// taken, at most maxDumpLines of the dump: the first line of another shape
// ends it and is kept. A module can print the same text (the same level,
// facility 0, from its init), but then hides only lines of the kernel's
// shapes, once a step, which say nothing the spec could ask of it.
// Asynchronous kernel messages (noise) between them are dropped as ever.
func initWarningLen(name string, lines []string) int {
	if len(lines) < 2 || lines[1] != initAnyway {
		return 0
	}
	m := initWarning.FindStringSubmatch(lines[0])
	if m == nil || name != "" && m[1] != name {
		return 0
	}
	n, head := 2, 0
	for ; n < len(lines) && n < 2+maxDumpLines; n++ {
		l := lines[n]
		if noise.MatchString(l) {
			continue
		}
		for head < len(dumpHead) && dumpHead[head].optional && !dumpHead[head].re.MatchString(l) {
			head++
		}
		switch {
		case head < len(dumpHead) && dumpHead[head].re.MatchString(l):
			head++
		case head < len(dumpHead):
			return n // the dump's header is not there: the warning alone
		case l == dumpEnd:
			return n + 1
		case !dumpLine.MatchString(l):
			return n
		}
	}
	return n
}
