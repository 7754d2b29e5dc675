package kmsg

import (
	"regexp"
	"strings"
)

// endMark names the line that closes a report.
type endMark int

const (
	endNone  endMark = iota // none: the report ends at the first unrelated line
	endTrace                // "---[ end trace 0000000000000000 ]---" (oops, WARN)
	endPanic                // "---[ end Kernel panic - not syncing: ... ]---"
	endRule                 // a line of '=' (KASAN, UBSAN)
	// endBacktrace: the report runs through the "stack backtrace:" line
	// (lockdep's lines before it have no common form: lock names,
	// dependency chains, blank lines) and on while lines look like the
	// stack dump after it.
	endBacktrace
)

// headline describes a line that starts a report.
type headline struct {
	kind Kind
	// stage orders the headlines that one x86 oops prints in turn: a
	// corruption message (1), a "BUG:" line (2), then the die or WARNING
	// line (3). A later, higher stage joins the report of an earlier one;
	// 0 means the headline always starts a report of its own.
	stage int
	end   endMark
	// prefix is a subsystem prefix ("rcu: ") that the report's other
	// lines carry too.
	prefix string
	// merge makes later headlines that also merge and share the prefix
	// join the report: kmemleak lists each leaked object, then a summary.
	merge bool
}

// rule maps lines that match to a headline.
type rule struct {
	match func(string) bool
	h     headline
}

// rules are tried in order on the text of each line, so specific "BUG: "
// forms come before the generic one. The wording follows Linux 6.1.
var rules = []rule{
	{hasPrefix("Kernel panic - not syncing:"), headline{kind: Panic, end: endPanic}},
	{hasPrefix("BUG: kernel NULL pointer dereference", "BUG: unable to handle "), headline{kind: Oops, stage: 2, end: endTrace}},
	{hasPrefix("kernel BUG at "), headline{kind: Bug, stage: 2, end: endTrace}},
	{hasPrefix("list_add corruption", "list_del corruption"), headline{kind: Bug, stage: 1, end: endTrace}},
	{isDieHeader, headline{kind: Oops, stage: 3, end: endTrace}},
	{hasPrefix("WARNING: CPU: "), headline{kind: Warning, stage: 3, end: endTrace}},
	{isLockdepWarning, headline{kind: Lockdep, end: endBacktrace}},
	{hasPrefix("BUG: soft lockup", "watchdog: BUG: soft lockup"), headline{kind: SoftLockup, prefix: "watchdog: "}},
	{hasPrefix("NMI watchdog: Watchdog detected hard LOCKUP", "Watchdog detected hard LOCKUP"), headline{kind: HardLockup, prefix: "NMI watchdog: "}},
	{isHungTask, headline{kind: HungTask}},
	{isRCUStall, headline{kind: RCUStall, prefix: "rcu: "}},
	{hasPrefix("BUG: KASAN:", "UBSAN:"), headline{kind: Bug, end: endRule}},
	{hasPrefix("unreferenced object 0x", "kmemleak: unreferenced object 0x"), headline{kind: Bug, prefix: "kmemleak: ", merge: true}},
	{isLeakSummary, headline{kind: Bug, prefix: "kmemleak: ", merge: true}},
	{hasPrefix("BUG: "), headline{kind: Bug, stage: 2}},
}

// classify returns the headline a line's text starts, if any.
func classify(text string) (headline, bool) {
	for _, r := range rules {
		if r.match(text) {
			return r.h, true
		}
	}
	return headline{}, false
}

// hasPrefix returns a matcher for lines that start with any of prefixes.
func hasPrefix(prefixes ...string) func(string) bool {
	return func(s string) bool {
		for _, p := range prefixes {
			if strings.HasPrefix(s, p) {
				return true
			}
		}
		return false
	}
}

// dieRE matches the x86 die() header "%s: %04lx [#%d]...", e.g.
// "Oops: 0002 [#1] PREEMPT SMP NOPTI", "invalid opcode: 0000 [#1] ...",
// "general protection fault, probably for non-canonical address
// 0xdead000000000100: 0000 [#1] ...".
var dieRE = regexp.MustCompile(`^[^:\[\]]{1,120}: [0-9a-f]{4} \[#[0-9]+\]`)

// isDieHeader matches the die() header and the headlines of other
// architectures' oopses.
func isDieHeader(s string) bool {
	return dieRE.MatchString(s) ||
		hasPrefix("general protection fault", "divide error:", "Oops:", "Oops - ", "Internal error: Oops")(s)
}

// lockdepTitles are what lockdep prints after "WARNING: ". Other lines
// starting with "WARNING: " exist in a normal boot (e.g. "WARNING: kernel
// not compiled with CPU_IBPB_ENTRY."), so "WARNING:" alone is not enough.
var lockdepTitles = []string{
	"possible ", "suspicious RCU usage", "inconsistent lock state",
	"bad unlock balance detected", "held lock freed", "lock held when returning",
	"bad contention detected", "Nested lock was not taken", "chain_key collision",
}

// isLockdepWarning matches lockdep's "WARNING: possible circular locking
// dependency detected" and its kin.
func isLockdepWarning(s string) bool {
	t, ok := strings.CutPrefix(s, "WARNING: ")
	if !ok {
		return false
	}
	return hasPrefix(lockdepTitles...)(t) || strings.HasSuffix(t, " still has locks held!")
}

// isHungTask matches "INFO: task insmod:45 blocked for more than 120 seconds.".
func isHungTask(s string) bool {
	return strings.HasPrefix(s, "INFO: task ") && strings.Contains(s, " blocked for more than ")
}

// isRCUStall matches "rcu: INFO: rcu_preempt self-detected stall on CPU",
// "rcu: INFO: rcu_sched detected stalls on CPUs/tasks:" and the expedited
// form, with or without the "rcu: " prefix.
func isRCUStall(s string) bool {
	s = strings.TrimPrefix(s, "rcu: ")
	return strings.HasPrefix(s, "INFO: rcu_") && strings.Contains(s, " stall")
}

// isLeakSummary matches kmemleak's "kmemleak: 2 new suspected memory leaks
// (see /sys/kernel/debug/kmemleak)", printed when it does not list them.
func isLeakSummary(s string) bool {
	return strings.HasPrefix(s, "kmemleak: ") && strings.Contains(s, " new suspected memory leak")
}

// isRule reports whether s is a separator line of '=' (KASAN, UBSAN and
// lockdep frame their reports with them).
func isRule(s string) bool {
	return len(s) >= 20 && strings.Trim(s, "=") == ""
}
