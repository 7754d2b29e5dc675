package kmsg

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Kind is the class of a kernel failure.
type Kind string

// The kinds of failure Scan reports.
const (
	Oops       Kind = "oops"        // a die() report: page fault, GPF, divide error, "Oops:"
	Panic      Kind = "panic"       // "Kernel panic - not syncing: ..."
	Warning    Kind = "warning"     // WARN() ("WARNING: CPU: ..."), lockdep warnings
	Bug        Kind = "bug"         // BUG(), "BUG: ...", KASAN, UBSAN, kmemleak, list corruption
	SoftLockup Kind = "soft-lockup" // "watchdog: BUG: soft lockup - CPU#0 stuck for 22s!"
	HardLockup Kind = "hard-lockup" // "NMI watchdog: Watchdog detected hard LOCKUP on cpu 1"
	HungTask   Kind = "hung-task"   // "INFO: task ... blocked for more than N seconds."
	RCUStall   Kind = "rcu-stall"   // "rcu: INFO: rcu_preempt detected stalls ..."
	// Lockdep is a lock-correctness report of a debug kernel (lockdep,
	// PROVE_RCU): "WARNING: suspicious RCU usage", "WARNING: possible
	// circular locking dependency detected", ... These set no taint
	// flag, so a verdict cannot ask the taint whether the kernel wrote
	// them; a module that prints one only fails its own step.
	Lockdep Kind = "lockdep"
)

// maxFrames is how many call-trace frames Error shows.
const maxFrames = 8

// Failure is a kernel failure found in a log, with the lines that describe it.
type Failure struct {
	Kind  Kind   `json:"kind"`
	Title string `json:"title"` // the headline, e.g. "BUG: kernel NULL pointer dereference, address: 0000000000000000"
	// Lines is the report without timestamps: from the headline (or the
	// "cut here" line before it) through the end marker, or, when no end
	// marker follows, through the last line that still looks like part of
	// the report; at most 200 lines.
	Lines []string `json:"lines"`
	Step  string   `json:"step,omitempty"` // set by callers: the step it happened in ("insmod hello")
	// Module is the module the failing code belongs to, best effort: the
	// one named on the RIP line, else on the WARNING line, else the first
	// reliable stack frame in a module; "" when none is.
	Module string `json:"module,omitempty"`
	// Source is where in the module's source the failure happened,
	// "dir/file.c:12 (func)", when the harness could find it.
	Source string `json:"source,omitempty"`
	// Injected is how many of the first Lines are the report of an
	// allocation failure the kernel injected just before (an error-path
	// sweep): the failure is the module's mishandling of it, and its first
	// module frame, where a caller looks for the failure's place, is the
	// allocation's.
	Injected int `json:"injected,omitempty"`
}

// after makes f the consequence of the injected allocation failure whose
// report is inj (nil: none): its lines come first, and its module is f's
// when f's own report names none.
func (f *Failure) after(inj []Line) {
	if len(inj) == 0 {
		return
	}
	lines := make([]string, 0, len(inj)+len(f.Lines))
	for _, l := range inj {
		lines = append(lines, l.Text)
	}
	f.Lines, f.Injected = append(lines, f.Lines...), len(inj)
	if m := findModule(f.Lines[:f.Injected]); m != "" {
		f.Module = m
	}
}

// Error renders the failure as "oops in insmod hello: <title>" (without
// " in <step>" when Step is empty), then the lines that locate it: the
// kernel RIP, the WARNING site, the first call-trace frames; then
// "(N lines omitted)" for the rest of the report, which Lines keeps whole.
func (f *Failure) Error() string {
	var b strings.Builder
	b.WriteString(string(f.Kind))
	if f.Step != "" {
		b.WriteString(" in " + f.Step)
	}
	b.WriteString(": " + f.Title)
	if f.Source != "" {
		b.WriteString("\nat " + f.Source)
	}
	key := f.KeyLines()
	for _, l := range key {
		b.WriteString("\n" + l)
	}
	shown := len(key)
	if f.Injected > 0 {
		shown-- // "after an injected ...", which is not a line of the report
	}
	if n := len(f.Lines) - shown - 1; n > 0 {
		fmt.Fprintf(&b, "\n(%d lines omitted)", n)
	}
	return b.String()
}

// KeyLines are the report lines that say where the failure happened: the
// kernel-mode RIP, the WARNING line, and up to eight reliable frames of
// the first call trace (unreliable "? " frames, user-space registers and
// the rest are left out).
func (f *Failure) KeyLines() []string {
	if f.Injected == 0 {
		return f.keyLines(f.Lines)
	}
	key := []string{"after an injected allocation failure, allocated at:"}
	inj := f.keyLines(f.Lines[:f.Injected])
	for i, l := range inj {
		if strings.HasPrefix(strings.TrimSpace(l), "should_fail") {
			inj = inj[i+1:] // the fault injection's own frames say nothing
		}
	}
	key = append(key, inj...)
	return append(key, f.keyLines(f.Lines[f.Injected:])...)
}

// keyLines are KeyLines of one report.
func (f *Failure) keyLines(lines []string) []string {
	var key []string
	inTrace, frames := false, 0
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case l == f.Title:
		case strings.HasPrefix(t, "RIP: 0010:") || strings.HasPrefix(t, "WARNING: CPU:") || f.isLockdepMessage(t):
			key = append(key, t)
		case t == "Call Trace:":
			inTrace = frames == 0
		case inTrace && (t == "</TASK>" || strings.HasPrefix(t, "RIP: 0033:")):
			inTrace = false
		case inTrace && t != "<TASK>" && !strings.HasPrefix(t, "? ") && frames < maxFrames:
			key = append(key, "  "+t)
			frames++
		}
	}
	return key
}

// lockdepMessageRE matches the line a lockdep report says what it found
// with: "kernel/pid.c:401 suspicious rcu_dereference_check() usage!",
// "insmod/45 is trying to acquire lock:".
var lockdepMessageRE = regexp.MustCompile(`^(\S+\.[ch]:[0-9]+ .*!|\S+/[0-9]+ is trying to acquire lock:)$`)

// isLockdepMessage reports whether t is the message line of a Lockdep
// report.
func (f *Failure) isLockdepMessage(t string) bool {
	return f.Kind == Lockdep && lockdepMessageRE.MatchString(t)
}

// IsFailure reports whether err is or wraps a *Failure, and returns it.
func IsFailure(err error) (*Failure, bool) {
	var f *Failure
	if errors.As(err, &f) {
		return f, true
	}
	return nil, false
}
