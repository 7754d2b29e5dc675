package kmsg

import (
	"regexp"
	"strings"
)

const (
	// maxReportLines caps the lines of one report.
	maxReportLines = 200
	// chainGap is how close (in lines) the next headline of the same oops
	// must follow, e.g. "Oops: 0002 [#1]" after "BUG: kernel NULL pointer
	// dereference" (4 lines later on x86).
	chainGap = 8
	// leadInMax is how far before a headline a "cut here" line may be: a
	// WARN prints "cut here", its message, then "WARNING: CPU: ...".
	leadInMax = 10
	// bootSkewUS tolerates timestamps that go back a little (printk from
	// several CPUs); going back more means the machine booted again.
	bootSkewUS = 1_000_000
)

// Scan finds the kernel failures in a log, in order. One report gives one
// Failure however many of its lines look like headlines (a "BUG: ..." line
// and the "Oops: ..." line after it are one oops); a panic that follows an
// oops is a Failure of its own. When some lines have a timestamp, lines
// without one (firmware or user-space output on the console) are ignored.
// A headline must start the line's text: "hello: BUG: x" is not one.
func Scan(lines []Line) []*Failure {
	ls := kernelLines(lines)
	var out []*Failure
	floor := 0
	var injected []Line // the last injected allocation failure's report, until a failure takes it
	for i := 0; i < len(ls); i++ {
		if ls[i].Text == InjectedHeadline {
			end := injectionEnd(ls, i)
			injected, floor, i = ls[i:end], end, end-1
			continue
		}
		h, ok := classify(ls[i].Text)
		if !ok {
			continue
		}
		start := leadIn(ls, floor, i)
		end := reportEnd(ls, start, i, h)
		f := newFailure(h.kind, ls[i].Text, ls[start:end])
		f.after(injected)
		out = append(out, f)
		injected, floor, i = nil, end, end-1
	}
	return out
}

// InjectedHeadline starts the kernel's report of an allocation failure it
// injected (fault injection: failslab, fail_page_alloc), followed by the
// stack of the allocation. It is no failure: an error-path sweep injects
// one per load, and a module that handles it prints nothing. A failure
// that follows one (the module used the memory it did not get) carries
// it, and is located at the allocation.
const InjectedHeadline = "FAULT_INJECTION: forcing a failure."

// injectionEnd returns the index just past the injection report at i: its
// "name failslab, ..." line and the stack dump after it.
func injectionEnd(ls []Line, i int) int {
	e := &extent{head: ls[i]}
	j := i + 1
	if j < len(ls) && strings.HasPrefix(ls[j].Text, "name ") {
		j++
	}
	for j < len(ls) && j < i+maxReportLines && ls[j].Text != InjectedHeadline && !isHeadline(ls[j].Text) && !isRule(ls[j].Text) && e.related(ls[j].Text) {
		j++
	}
	return j
}

// isHeadline reports whether t starts a failure report.
func isHeadline(t string) bool {
	_, ok := classify(t)
	return ok
}

// kernelLines drops lines without a timestamp when others have one.
func kernelLines(lines []Line) []Line {
	timed := make([]Line, 0, len(lines))
	for _, l := range lines {
		if l.HasTime {
			timed = append(timed, l)
		}
	}
	if len(timed) == 0 {
		return lines
	}
	return timed
}

// leadIn returns where the report of the headline at i starts: at a
// "cut here" line shortly before it, at a '=' rule just before it, or at
// the headline. It never goes below floor, the end of the previous report.
func leadIn(ls []Line, floor, i int) int {
	for k := i - 1; k >= floor && k >= i-leadInMax; k-- {
		if strings.Contains(ls[k].Text, "[ cut here ]") {
			return k
		}
	}
	if i > floor && isRule(ls[i-1].Text) {
		return i - 1
	}
	return i
}

// extent tracks a report while its end is searched for.
type extent struct {
	end     endMark
	stage   int
	chainAt int    // index of the report's latest chained headline
	prefix  string // subsystem prefix of the headline
	merge   bool   // later merging headlines with the same prefix join
	head    Line
}

// reportEnd returns the index just past the report whose headline is at
// i: past its end marker when one comes before the next unrelated
// headline (and within the cap), else past its last related line.
func reportEnd(ls []Line, start, i int, h headline) int {
	e := &extent{end: h.end, stage: h.stage, chainAt: i, prefix: h.prefix, merge: h.merge, head: ls[i]}
	limit := min(len(ls), start+maxReportLines)
	stop := limit
	for j := i + 1; j < limit; j++ {
		t := ls[j].Text
		if e.isMarker(t) {
			return j + 1
		}
		if h2, ok := classify(t); ok && !e.absorb(h2, j) || e.newBoot(ls[j]) {
			stop = j
			break
		}
	}
	j := i + 1
	if h.end == endBacktrace {
		j = pastBacktraceLine(ls, j, stop)
	}
	for j < stop && e.related(ls[j].Text) {
		j++
	}
	return j
}

// pastBacktraceLine returns the index after the "stack backtrace:" line
// in ls[from:stop], or from when there is none (a report cut short).
func pastBacktraceLine(ls []Line, from, stop int) int {
	for k := from; k < stop; k++ {
		if ls[k].Text == "stack backtrace:" {
			return k + 1
		}
	}
	return from
}

// isMarker reports whether t closes the report.
func (e *extent) isMarker(t string) bool {
	switch e.end {
	case endTrace:
		return strings.HasPrefix(t, "---[ end trace ")
	case endPanic:
		return strings.HasPrefix(t, "---[ end Kernel panic")
	case endRule:
		return isRule(t)
	}
	return false
}

// absorb decides whether headline h2 at line j continues this report (a
// later stage of the same oops, close enough) and, if so, takes it in.
func (e *extent) absorb(h2 headline, j int) bool {
	if e.merge && h2.merge && h2.prefix == e.prefix {
		return true
	}
	if e.stage == 0 || h2.stage <= e.stage || j-e.chainAt > chainGap {
		return false
	}
	e.stage, e.chainAt = h2.stage, j
	if h2.end != endNone {
		e.end = h2.end
	}
	return true
}

// newBoot reports whether l's timestamp is well before the headline's:
// the log went on with another boot.
func (e *extent) newBoot(l Line) bool {
	return e.head.HasTime && l.HasTime && l.TimeUS+bootSkewUS < e.head.TimeUS
}

// registerRE matches register dumps: "RSP: 0018:...", "FS:  0000...",
// "CR2: ...", and arm64's "pc : ...", "x29: ...".
var registerRE = regexp.MustCompile(`^(RIP|RSP|RAX|RBX|RCX|RDX|RSI|RDI|RBP|R[0-9]{2}|[CDEFGS]S|CR[0-9]|DR[0-9]|PKRU|EFLAGS|pc|lr|sp|pstate|x[0-9]{1,2}) ?: `)

// locksRE matches lockdep's "1 lock held by insmod/45:".
var locksRE = regexp.MustCompile(`^([0-9]+|no) locks? held by `)

// reportPrefixes start the lines of oops, WARN, lockup, hung task and
// sanitizer reports that are not indented.
var reportPrefixes = hasPrefix(
	"Call Trace:", "Call trace:", "Modules linked in:", "CPU: ", "Hardware name:",
	"Code: ", "#PF: ", "PGD ", "Workqueue:", "Tainted:", "Kernel Offset:",
	"---[ end ", "------------[ cut here ]", "task:", "\"echo 0 > ",
	"irq event stamp:", "hardirqs last", "softirqs last", "Sending NMI",
	"NMI backtrace", "in_atomic():", "preempt_count:", "RCU nest depth:",
	"Preemption disabled at:", "Unloaded tainted modules:", "note: ",
	"Showing all locks", "Showing busy workqueues", "Read of size", "Write of size",
	"Read at addr", "Write at addr", "Free of addr", "Allocated by task", "Freed by task",
	"The buggy address", "Memory state around", "Disabling lock debugging",
	"INFO: lockdep", "Shutting down cpus", "Rebooting in ", "Stack:",
	"Mem abort info:", "Data abort info:", "other info that might help",
	"stack backtrace:", "the existing dependency chain", "Chain exists of:",
	"[<", "Thread overran stack",
)

// related reports whether a line without an end marker still looks like
// part of a report: indented (stack frames, <TASK>), a register dump, a
// known report line, or carrying the headline's subsystem prefix.
func (e *extent) related(t string) bool {
	if t == "" {
		return false
	}
	if t[0] == ' ' || t[0] == '\t' {
		return true
	}
	if e.prefix != "" && strings.HasPrefix(t, e.prefix) {
		return true
	}
	if _, ok := classify(t); ok {
		return true // a headline absorbed into this report
	}
	return registerRE.MatchString(t) || locksRE.MatchString(t) || reportPrefixes(t) || isRule(t)
}

// newFailure builds the Failure for a report.
func newFailure(k Kind, title string, report []Line) *Failure {
	lines := make([]string, len(report))
	for i, l := range report {
		lines[i] = l.Text
	}
	return &Failure{Kind: k, Title: title, Lines: lines, Module: findModule(lines)}
}

var (
	// ripRE: "RIP: 0010:hello_init+0x5/0x1000 [oopsmod]".
	ripRE = regexp.MustCompile(`^RIP: [0-9a-f]{4}:\S+ \[([^\] ]+)`)
	// warnRE: "WARNING: CPU: 0 PID: 1 at x.c:7 f+0x1f/0x1000 [warnmod]".
	warnRE = regexp.MustCompile(`^WARNING: CPU: .* \[([^\] ]+)[^\]]*\]$`)
	// frameRE: a reliable stack frame in a module, " f+0x2c/0x1000 [hungmod]"
	// or "[<ffffffffc02a6011>] f+0x11/0x1000 [sleepmod]" (unreliable
	// frames start with "? " and do not match).
	frameRE = regexp.MustCompile(`(?:^\s+|>\] )[\w.$]+\+0x[0-9a-f]+/0x[0-9a-f]+ \[([^\] ]+)`)
)

// findModule names the module the failure happened in, best effort. The
// "Modules linked in:" list is not used: it names every loaded module.
func findModule(lines []string) string {
	for _, re := range []*regexp.Regexp{ripRE, warnRE, frameRE} {
		for _, l := range lines {
			if m := re.FindStringSubmatch(l); m != nil {
				return m[1]
			}
		}
	}
	return ""
}
