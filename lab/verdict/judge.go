// Package verdict judges a run: spec + the agent's records + the console
// log + what the host's witnesses found -> a verdict per step, with a
// typed cause (lab/result).
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
	// Params are the module parameters the step ran with.
	Params string
	// Begin and End are the agent's records for the step; nil when missing.
	Begin, End *plan.Record
	// Skip says why the host did not run the step ("" when it did).
	Skip string
	// Console is the stretch of console the step printed to (from its
	// begin mark on): the evidence when the VM died before the agent could
	// report.
	Console []kmsg.Line
	// HostDeadline says the host ended the VM because this step did not
	// answer in time; Halted is the console line that showed the guest
	// stopped; GuestStatus is QEMU's run state at the end.
	HostDeadline bool
	Halted       string
	GuestStatus  string
	// Tamper lists what the host's witnesses found wrong with the guest's
	// records while this step ran.
	Tamper []string
	// Leaks are the objects kmemleak found unreferenced after the run
	// that were allocated during the step.
	Leaks []leak.Object
	// Held names the step's processes whose address space outlived them.
	Held []string
}

// MaxFailures is how many distinct kernel failures a step keeps; the rest
// are counted. A module can print a thousand fake oops headers.
const MaxFailures = 5

// Judge gives a step its verdict. A step the host ran that has no End
// record is never a pass: the guest died or hung inside it.
func Judge(in Input) result.Step {
	s := result.Step{Name: in.Name, Params: in.Params}
	switch {
	case len(in.Tamper) > 0:
		judgeTamper(&s, in)
	case in.Skip != "":
		s.Verdict, s.Cause, s.Reason = result.Skipped, result.AfterFailed, in.Skip
	case in.End != nil:
		judgeEnd(&s, in)
	case in.Begin != nil:
		judgeUnfinished(&s, in)
	default:
		s.Verdict, s.Cause, s.Reason = result.Crash, result.NeverBegan, "the VM ended before this step began"
	}
	capFailures(&s)
	s.Log, s.Diff = capLines(s.Log, MaxLogLines), capLines(s.Diff, MaxDiffLines)
	return s
}

// MaxLogLines and MaxDiffLines bound what a step's result keeps of its
// log and of its output's diff: a module that prints for a minute prints
// tens of thousands of lines, and every report of a class carries them.
// The judging above saw every line.
const (
	MaxLogLines  = 1000
	MaxDiffLines = 200
)

// capLines keeps the head and the tail of lines, with a line between
// saying how many were left out.
func capLines(lines []string, n int) []string {
	if len(lines) <= n {
		return lines
	}
	tail := n / 5
	head := n - tail - 1
	out := append(lines[:head:head], fmt.Sprintf("... (%d lines not kept)", len(lines)-head-tail))
	return append(out, lines[len(lines)-tail:]...)
}

func judgeTamper(s *result.Step, in Input) {
	s.Verdict, s.Cause = result.Integrity, result.Tampering
	s.Reason = "the guest's records disagree with what the host saw: " + strings.Join(in.Tamper, "; ") +
		" (a module that writes to the record channel, or whose records differ from the console, is not graded: a person should look)"
	if in.End != nil {
		s.Log = texts(endLines(in.End))
	}
}

func judgeUnfinished(s *result.Step, in Input) {
	var lines []kmsg.Line
	for _, l := range in.Console {
		if l.HasTime && !strings.HasPrefix(l.Text, "lkmlab: ") {
			lines = append(lines, l)
		}
	}
	s.Log = texts(lines)
	s.Failures = kmsg.Scan(lines)
	s.Verdict, s.Cause, s.Reason = result.Crash, result.VMDied, "the VM died during the step: no result record from the guest"
	switch {
	case in.Halted != "" && !hasKind(s.Failures, kmsg.Panic):
		s.Reason = "the guest stopped during the step: " + in.Halted
	case in.HostDeadline && !hasKind(s.Failures, kmsg.Panic):
		s.Verdict, s.Cause = result.Timeout, result.HostTimeout
		s.Reason = "the guest stopped answering: the host ended the VM at the step's deadline"
		if in.GuestStatus != "" {
			s.Reason += " (QEMU status: " + in.GuestStatus + ")"
		}
	}
	if len(s.Failures) > 0 {
		if s.Verdict == result.Crash {
			s.Cause = result.KernelFailure
		}
		s.Reason += "\n" + s.Failures[0].Error()
		if !in.Spec.Probe {
			// What the step printed before the failure is judged, as for a
			// step that returned: an oops in interrupt context (a timer the
			// module left armed firing just after its rmmod) panics the
			// guest before the step's record is sent, and lab/check may
			// charge it as code left running, which costs unload only.
			judgeBeforeFailure(s, in.Spec, &plan.Record{}, lines)
		}
	}
}

// endLines are the step's kernel log lines, without the agent's own marks
// (user-space records: a module's printk is always facility kernel).
func endLines(e *plan.Record) []kmsg.Line {
	lines := make([]kmsg.Line, 0, len(e.Log))
	for _, r := range e.Log {
		if r.Facility != 0 {
			continue
		}
		for _, t := range strings.Split(r.Text, "\n") {
			lines = append(lines, kmsg.Line{TimeUS: r.TimeUS, HasTime: true, Text: t})
		}
	}
	return lines
}

func judgeEnd(s *result.Step, in Input) {
	e := in.End
	s.MS, s.TaintBefore, s.TaintAfter, s.Status, s.Errno = e.MS, e.TaintBefore, e.TaintAfter, string(e.Status), e.Errno
	s.Facts = e.Facts
	lines := endLines(e)
	s.Log = texts(lines)
	s.Failures = kernelWritten(kmsg.Scan(lines), e)
	switch {
	case e.Status == plan.Skipped:
		s.Verdict, s.Cause, s.Reason = result.Skipped, result.AfterFailed, "the agent did not run the step"
	case e.Status == plan.Hung:
		s.Verdict, s.Cause, s.Reason = result.Timeout, result.GuestTimeout, e.Error
	case e.Status == plan.Killed || len(s.Failures) > 0:
		s.Verdict, s.Cause, s.Reason = result.Crash, result.Killed, e.Error
		if len(s.Failures) > 0 {
			s.Cause, s.Reason = result.KernelFailure, s.Failures[0].Error()
		}
		if e.Status == plan.OK && !in.Spec.Probe {
			// The step itself returned, and what it printed before the
			// failure is judged: the failure may turn out to be code the
			// module left running after its rmmod (lab/check charges it
			// so), which costs the unload part, not the output.
			judgeBeforeFailure(s, in.Spec, e, lines)
		}
	case in.Spec.Probe:
		judgeProbe(s, in.Spec, e)
		s.Clean = true
		judgeState(s, in, e)
	default:
		judgeOutput(s, in.Spec, e)
		s.Clean = true
		judgeState(s, in, e)
	}
	if e.Dropped > 0 {
		s.Findings = append(s.Findings, result.Finding{Kind: result.LogDropped,
			Text: fmt.Sprintf("%d kernel log records were not carried (flood or overwritten)", e.Dropped)})
	}
}

// judgeBeforeFailure judges the output and truth of what the step printed
// before its first failure (s.Failures), with e's facts.
func judgeBeforeFailure(s *result.Step, want spec.Step, e *plan.Record, lines []kmsg.Line) {
	p := judgeParts(want, e, spec.ModuleOutput(texts(beforeFailures(lines, s.Failures))))
	s.OutputOK, s.TruthOK = p.outputOK, p.truthOK
}

// beforeFailures are the lines before the first line of any failure's
// report.
func beforeFailures(lines []kmsg.Line, fs []*kmsg.Failure) []kmsg.Line {
	for i, l := range lines {
		for _, f := range fs {
			if len(f.Lines) > 0 && l.Text == f.Lines[0] {
				return lines[:i]
			}
		}
	}
	return lines
}

// judgeProbe judges a robustness probe (bad input): it passes when the
// module did not crash or hang (above), rejected the input with an error
// or took it and could be unloaded, and left nothing behind (judgeState).
// The spec's errno and message are what the module documents: a
// difference is noted, not failed.
func judgeProbe(s *result.Step, want spec.Step, e *plan.Record) {
	s.Verdict = result.Pass
	m := want.Match(spec.ModuleOutput(s.Log))
	s.OutputOK = m.OK && (want.Error == "" || e.Errno == want.Error)
	s.TruthOK = true
	var notes []string
	if want.Error != "" && e.Errno != want.Error {
		got := "succeeded"
		if e.Status == plan.Failed {
			got = "failed with " + e.Errno
		}
		notes = append(notes, fmt.Sprintf("%s %s (the spec documents %s)", want.Action, got, want.Error))
	}
	if !m.OK && len(want.Output) > 0 {
		notes = append(notes, "the message differs from the documented one")
		s.Diff = m.Diff
	}
	if strings.HasPrefix(e.Cleanup, "could not unload") {
		s.Verdict, s.Cause = result.Fail, result.LeftBehind
		notes = append([]string{"the module took the bad input and then " + e.Cleanup}, notes...)
	}
	if len(notes) > 0 {
		s.Reason = "probe: " + strings.Join(notes, "; ")
	}
}

// Taint flags the kernel sets with the failures it reports: D (die: an
// oops), W (WARN and most BUG messages), B (bad page: KASAN), L (soft
// lockup).
const (
	taintD = 1 << 7
	taintW = 1 << 9
	taintB = 1 << 5
	taintL = 1 << 14
)

// failureTaint is what each kind of report would have set; kinds missing
// from it taint nothing, and their text is taken as the kernel's.
var failureTaint = map[kmsg.Kind]uint64{
	kmsg.Oops: taintD, kmsg.Warning: taintW, kmsg.Bug: taintD | taintW | taintB, kmsg.SoftLockup: taintL,
}

// kernelWritten keeps the failures the kernel reported. A module can
// printk a line that looks like an oops or a WARN, but only the kernel
// sets the taint that goes with one: a report whose taint was clear before
// the step and still is after it was printed by the module (its output,
// judged as such). Where the flag was already set, the text is taken.
func kernelWritten(fs []*kmsg.Failure, e *plan.Record) []*kmsg.Failure {
	if e.Status == plan.Killed || e.Status == plan.Hung {
		return fs
	}
	var out []*kmsg.Failure
	for _, f := range fs {
		if f.Kind == kmsg.Panic {
			continue // the guest went on to report the step: it did not panic
		}
		need, ok := failureTaint[f.Kind]
		if ok && e.TaintBefore&need == 0 && e.TaintAfter&need == 0 {
			continue
		}
		out = append(out, f)
	}
	return out
}

// allowedTaint are the taint flags the kernel sets when it loads a module,
// from what the module declares, and that stay set: O (out of tree), E
// (unsigned), P (a license other than GPL's), C (staging), N (a test
// module), K (a live patch) and F (forced: no symbol versions). Only the
// first module of a VM to set one would be charged with it, whatever the
// others declare, and each says what the module is, not what it did: a
// course that wants to penalise a license reads it statically (modinfo).
const allowedTaint = 1<<0 | 1<<1 | 1<<10 | 1<<12 | 1<<13 | 1<<15 | 1<<18

// taintLetters names taint bits as the kernel does (kernel/panic.c).
const taintLetters = "PFSRMBUDAWCIOELKXTN"

// judgeState records how the step left the kernel: a leaked reference or
// object, new taint, the module still loaded when the step should have
// left it unloaded. Each is a finding charged to this step; the first
// fails a step that otherwise passed.
func judgeState(s *result.Step, in Input, e *plan.Record) {
	var fs []result.Finding
	for _, h := range in.Held {
		fs = append(fs, result.Finding{Kind: result.AddressSpaceLeak, Text: "address space leak: " + h})
	}
	if len(in.Leaks) > 0 {
		s.Leaks = leak.Summary(in.Leaks, 5)
		fs = append(fs, result.Finding{Kind: result.MemoryLeak, Text: "kmemleak: memory allocated during the step was never freed: " + s.Leaks})
	}
	if extra := e.TaintAfter &^ e.TaintBefore &^ allowedTaint; extra != 0 {
		fs = append(fs, result.Finding{Kind: result.Taint,
			Text: fmt.Sprintf("the step tainted the kernel: %s (taint %#x -> %#x)", taintFlags(extra), e.TaintBefore, e.TaintAfter)})
	}
	unloads := e.Status == plan.Failed && in.Spec.Action == "insmod" || e.Status == plan.OK && in.Spec.Action == "rmmod"
	if unloads && in.KernelName != "" && slices.Contains(e.Loaded, in.KernelName) {
		fs = append(fs, result.Finding{Kind: result.StillLoaded, Text: in.KernelName + " is still loaded after the step"})
	}
	if len(fs) == 0 {
		return
	}
	s.Clean = false
	s.Findings = append(s.Findings, fs...)
	if s.Verdict == result.Pass {
		s.Verdict, s.Cause, s.Reason = result.Fail, result.LeftBehind, fs[0].Text
	}
}

func taintFlags(bits uint64) string {
	var letters []byte
	for i := 0; i < len(taintLetters); i++ {
		if bits&(1<<i) != 0 {
			letters = append(letters, taintLetters[i])
		}
	}
	return string(letters)
}

// judgeOutput judges format and truth separately: a module whose wording
// differs from the spec's can still earn truth when its loose rules hold
// (the right values, found on its lines). An insmod that fails with an
// errno the spec does not expect has lost its load, not the format and
// truth of what it printed before failing: those are judged all the same.
func judgeOutput(s *result.Step, want spec.Step, e *plan.Record) {
	s.Verdict = result.Pass
	p := judgeParts(want, e, spec.ModuleOutput(s.Log))
	s.OutputOK, s.TruthOK = p.outputOK, p.truthOK
	if !p.outputOK {
		s.Diff = p.diff
	}
	switch wrong := wrongResult(want, e); {
	case wrong != "":
		s.Verdict, s.Cause, s.Reason = result.Fail, result.WrongResult, wrong
	case !p.outputOK:
		s.Verdict, s.Cause = result.Fail, result.OutputDiffers
		s.Reason = "output differs from the spec (- expected, + got)"
		if len(p.formatFails) > 0 {
			s.Reason = "output differs from the spec: " + strings.Join(p.formatFails, "; ")
		}
		if want.HasLoose() && s.TruthOK {
			s.Reason += "; the values it prints are right"
		} else if want.HasLoose() || len(p.formatFails) > 0 && !s.TruthOK {
			s.Reason += "\n" + strings.Join(p.truthFails, "\n")
		}
	case !p.truthOK:
		s.Verdict, s.Cause, s.Reason = result.Fail, result.Untrue, strings.Join(p.truthFails, "\n")
	}
}

// wrongResult says how the step's result differs from the spec's (an
// errno where it should succeed, another errno, a success where it should
// fail), or "".
func wrongResult(want spec.Step, e *plan.Record) string {
	switch {
	case e.Status == plan.Failed && (e.Errno != want.Error || want.Error == ""):
		reason := fmt.Sprintf("%s returned %s: %s", want.Action, e.Errno, e.Error)
		if e.Errno == "" {
			reason = fmt.Sprintf("%s failed: %s", want.Action, e.Error)
		}
		if want.Error != "" {
			reason += fmt.Sprintf(" (the spec expects %s)", want.Error)
		}
		return reason
	case e.Status == plan.OK && want.Error != "":
		return fmt.Sprintf("%s succeeded; the spec expects it to fail with %s", want.Action, want.Error)
	}
	return ""
}

// parts is what a step's lines earn: the format (the output's lines and
// format rules) and the truth, with why not.
type parts struct {
	outputOK, truthOK bool
	diff              []string
	formatFails       []string
	truthFails        []string // with the hints that apply
}

// judgeParts judges the module's lines out against the spec: the format,
// then the truth, from the captures when the lines match and from the
// loose rules when they do not.
func judgeParts(want spec.Step, e *plan.Record, out []string) parts {
	m := want.Match(out)
	p := parts{outputOK: m.OK}
	if !m.OK {
		p.diff = m.Diff
	}
	ev := spec.Eval{Rows: m.Rows, Facts: e.Facts, Lines: out}
	if m.OK {
		p.formatFails = want.CheckFormat(ev)
		p.outputOK = len(p.formatFails) == 0
	}
	switch {
	case len(want.Truth) == 0 && !want.HasLoose():
		// Nothing to be true about: a step that only prints a message.
	case m.OK:
		p.truthFails = want.CheckTruth(ev)
	case want.HasLoose():
		p.truthFails = want.CheckLoose(ev)
	default:
		p.truthFails = []string{"truth: not judged, the output does not have the spec's format"}
	}
	p.truthOK = len(p.truthFails) == 0
	if !p.truthOK {
		for _, h := range want.Explain(ev) {
			p.truthFails = append(p.truthFails, "hint: "+h)
		}
	}
	return p
}

// capFailures keeps the first MaxFailures distinct failures of a step and
// counts the rest.
func capFailures(s *result.Step) {
	if len(s.Failures) <= MaxFailures {
		return
	}
	seen := map[string]bool{}
	var keep []*kmsg.Failure
	for _, f := range s.Failures {
		k := string(f.Kind) + "\x00" + f.Title
		if seen[k] || len(keep) == MaxFailures {
			s.FailuresOmitted++
			continue
		}
		seen[k] = true
		keep = append(keep, f)
	}
	s.Failures = keep
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
