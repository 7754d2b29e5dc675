package verdict

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/leak"
	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/spec"
)

// Input is everything known about one step.
type Input struct {
	Name string
	// KernelName is the module's name in /proc/modules.
	KernelName string
	Spec       spec.Step
	// Begin and End are the agent's records for the step; nil when missing.
	Begin, End *plan.Record
	// Console is the whole console log of the VM the step ran in: the
	// evidence when the VM died before the agent could report.
	Console []kmsg.Line
	// HostTimeout says the host ended that VM for running too long;
	// GuestStatus is QEMU's run state for it then.
	HostTimeout bool
	GuestStatus string
	// Leaks are the objects kmemleak found unreferenced after the run
	// that were allocated during the step.
	Leaks []leak.Object
	// Held names the step's processes whose address space outlived them.
	Held []string
}

// The reasons of steps that did not run.
const (
	neverBegan  = "the VM ended before this step began"
	afterFailed = "an earlier step of this module did not succeed"
)

// Judge gives a step its verdict. A step with no End record is never a
// pass: the guest died or hung inside it.
func Judge(in Input) result.Step {
	s := result.Step{Name: in.Name}
	switch {
	case in.End != nil:
		judgeEnd(&s, in)
	case in.Begin != nil:
		judgeUnfinished(&s, in)
	default:
		s.Verdict, s.Cause, s.Reason = result.Crash, result.NeverBegan, neverBegan
	}
	return s
}

func judgeUnfinished(s *result.Step, in Input) {
	var lines []kmsg.Line
	for _, l := range in.Console {
		if l.HasTime && l.TimeUS >= in.Begin.UptimeUS {
			lines = append(lines, l)
		}
	}
	s.Log = texts(lines)
	s.Failures = kmsg.Scan(lines)
	s.Verdict, s.Reason = result.Crash, "the VM died during the step: no result record from the guest"
	if in.HostTimeout && !hasKind(s.Failures, kmsg.Panic) {
		s.Verdict, s.Reason = result.Timeout, "the guest stopped answering: the host ended the VM at its timeout"
		if in.GuestStatus != "" {
			s.Reason += " (QEMU status: " + in.GuestStatus + ")"
		}
	}
	if len(s.Failures) > 0 {
		s.Reason += "\n" + s.Failures[0].Error()
	}
}

func judgeEnd(s *result.Step, in Input) {
	e := in.End
	s.MS, s.TaintBefore, s.TaintAfter, s.Status = e.MS, e.TaintBefore, e.TaintAfter, string(e.Status)
	lines := make([]kmsg.Line, 0, len(e.Log))
	for _, r := range e.Log {
		for _, t := range strings.Split(r.Text, "\n") {
			lines = append(lines, kmsg.Line{TimeUS: r.TimeUS, HasTime: true, Text: t})
		}
	}
	s.Log = texts(lines)
	s.Failures = kmsg.Scan(lines)
	switch {
	case e.Status == plan.Skipped:
		s.Verdict, s.Cause, s.Reason = result.Skipped, result.AfterFailed, afterFailed
	case e.Status == plan.Hung:
		s.Verdict, s.Reason = result.Timeout, e.Error
	case e.Status == plan.Killed || len(s.Failures) > 0:
		s.Verdict, s.Reason = result.Crash, e.Error
		if len(s.Failures) > 0 {
			s.Reason = s.Failures[0].Error()
		}
	default:
		judgeOutput(s, in.Spec, e)
		s.Clean = true
		judgeState(s, in, e)
	}
}

// allowedTaint are the taint flags loading any test module sets: O (out
// of tree) and E (unsigned).
const allowedTaint = 1<<12 | 1<<13

// taintLetters names taint bits as the kernel does (kernel/panic.c).
const taintLetters = "PFSRMBUDAWCIOELKXTN"

// judgeState fails a step that left the kernel worse off: new taint, or
// the module still loaded when the step should have left it unloaded.
func judgeState(s *result.Step, in Input, e *plan.Record) {
	if len(in.Held) > 0 {
		s.Clean = false
		if s.Verdict == result.Pass {
			s.Verdict, s.Reason = result.Fail, "address space leak: "+strings.Join(in.Held, "; ")
		}
	}
	if len(in.Leaks) > 0 {
		s.Clean = false
		s.Leaks = leak.Summary(in.Leaks, 5)
		if s.Verdict == result.Pass {
			s.Verdict, s.Reason = result.Fail, "kmemleak: memory allocated during the step was never freed: "+s.Leaks
		}
	}
	if extra := e.TaintAfter &^ e.TaintBefore &^ allowedTaint; extra != 0 {
		var letters []byte
		for i := 0; i < len(taintLetters); i++ {
			if extra&(1<<i) != 0 {
				letters = append(letters, taintLetters[i])
			}
		}
		s.Clean = false
		if s.Verdict == result.Pass {
			s.Verdict, s.Reason = result.Fail, fmt.Sprintf("the step tainted the kernel: %s (taint %#x -> %#x)", letters, e.TaintBefore, e.TaintAfter)
		}
		return
	}
	unloads := e.Status == plan.Failed && in.Spec.Action == "insmod" || e.Status == plan.OK && in.Spec.Action == "rmmod"
	if unloads && in.KernelName != "" && slices.Contains(e.Loaded, in.KernelName) {
		s.Clean = false
		if s.Verdict == result.Pass {
			s.Verdict, s.Reason = result.Fail, fmt.Sprintf("%s is still loaded after the step", in.KernelName)
		}
	}
}

func judgeOutput(s *result.Step, want spec.Step, e *plan.Record) {
	s.Verdict = result.Pass
	switch {
	case e.Status == plan.Failed && (e.Errno != want.Error || want.Error == ""):
		s.Verdict = result.Fail
		s.Reason = fmt.Sprintf("%s returned %s: %s", want.Action, e.Errno, e.Error)
		if e.Errno == "" {
			s.Reason = fmt.Sprintf("%s failed: %s", want.Action, e.Error)
		}
		if want.Error != "" {
			s.Reason += fmt.Sprintf(" (the spec expects %s)", want.Error)
		}
		return
	case e.Status == plan.OK && want.Error != "":
		s.Verdict, s.Reason = result.Fail, fmt.Sprintf("%s succeeded; the spec expects it to fail with %s", want.Action, want.Error)
		return
	}
	m := want.Match(spec.ModuleOutput(s.Log))
	s.OutputOK = m.OK
	if !m.OK {
		s.Verdict, s.Reason, s.Diff = result.Fail, "output differs from the spec (- expected, + got)", m.Diff
	} else if fails := want.CheckTruth(m.Rows, e.Facts); len(fails) > 0 {
		s.Verdict, s.Reason = result.Fail, strings.Join(fails, "\n")
	} else {
		s.TruthOK = true
	}
	if e.Dropped > 0 {
		s.Reason = strings.TrimSpace(s.Reason + fmt.Sprintf("; %d kernel log records were not carried (flood or overwritten)", e.Dropped))
	}
}

func texts(lines []kmsg.Line) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.Text
	}
	return out
}

func hasKind(fs []*kmsg.Failure, k kmsg.Kind) bool {
	for _, f := range fs {
		if f.Kind == k {
			return true
		}
	}
	return false
}
