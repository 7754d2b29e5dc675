// Package result is what a run found, as data: verdicts and their typed
// causes per step and module, the run's report and timing. Renderers, the
// grader and the bench read it; it knows nothing of QEMU or of how a run is
// orchestrated.
package result

import (
	"fmt"
	"strings"

	"github.com/lkmlab/lkmlab/lab/kmsg"
)

// Verdict is the outcome of a step, a module or a graded task.
type Verdict string

// The verdicts, from best to worst.
const (
	Pass    Verdict = "pass"
	Skipped Verdict = "skipped"
	Fail    Verdict = "fail"
	Timeout Verdict = "timeout"
	Crash   Verdict = "crash"
	// Integrity means the module did something a grader must not trust
	// (forged records, a forbidden import, privileged instructions): no
	// points, and a person should look at the evidence.
	Integrity  Verdict = "integrity"
	BuildError Verdict = "build-error"
	// Missing means a graded task had no file in the submission.
	Missing Verdict = "missing"
)

var rank = map[Verdict]int{Pass: 0, Skipped: 1, Fail: 2, Timeout: 3, Crash: 4, Integrity: 5, BuildError: 6, Missing: 7}

// Worse reports whether v is worse than w.
func (v Verdict) Worse(w Verdict) bool { return rank[v] > rank[w] }

// Cause is why a step got its verdict, for code to decide on; Reason is
// the same for people.
type Cause string

// The causes. A passing step has none.
const (
	CauseNone Cause = ""
	// NeverBegan: the VM ended before the step began.
	NeverBegan Cause = "never-began"
	// AfterFailed: an earlier step of the module did not leave what this
	// one needs (the module crashed, hung, or is not loaded).
	AfterFailed Cause = "after-failed"
	// Interrupted: another module's failure ended the VM during this step;
	// the step is run again in a fresh VM.
	Interrupted Cause = "interrupted"
	// KernelFailure: an oops, panic, WARN, BUG or lockup during the step.
	KernelFailure Cause = "kernel-failure"
	// LeftRunning: code the module left behind (a timer, work, a thread)
	// faulted after the step, during another module's.
	LeftRunning Cause = "left-running"
	// Killed: the step's process was killed.
	Killed Cause = "killed"
	// GuestTimeout: the agent saw the step not return in time.
	GuestTimeout Cause = "guest-timeout"
	// HostTimeout: the guest stopped answering and the host ended the VM.
	HostTimeout Cause = "host-timeout"
	// VMDied: the VM ended during the step with no word from the agent.
	VMDied Cause = "vm-died"
	// WrongResult: the syscall failed where it should succeed, succeeded
	// where it should fail, or failed with another errno.
	WrongResult Cause = "wrong-result"
	// OutputDiffers: the lines printed do not have the spec's format.
	OutputDiffers Cause = "output-differs"
	// Untrue: the format holds but what it says is not true.
	Untrue Cause = "untrue"
	// LeftBehind: the step left the kernel worse off (see Step.Findings).
	LeftBehind Cause = "left-behind"
	// Tampering: the guest's records disagree with the host's witnesses.
	Tampering Cause = "tampering"
	// Policy: the module breaks the assignment's static policy.
	Policy Cause = "policy"
	// Harness: the harness itself could not run the step.
	Harness Cause = "harness"
)

// FindingKind is a way a step left the kernel worse off.
type FindingKind string

// The findings a step can carry besides its verdict.
const (
	AddressSpaceLeak FindingKind = "address-space-leak"
	MemoryLeak       FindingKind = "memory-leak"
	Taint            FindingKind = "taint"
	StillLoaded      FindingKind = "still-loaded"
	Lingering        FindingKind = "lingering" // timers, work or threads after rmmod
	LogDropped       FindingKind = "log-dropped"
	// NeedsReview is about the module rather than a step: it uses what an
	// attacker could use too (a dual-use import, lab/ko), was graded as it
	// ran, and a person should look at it.
	NeedsReview FindingKind = "needs-review"
)

// Finding is one way the step left the kernel worse off, charged to the
// step where it happened.
type Finding struct {
	Kind FindingKind `json:"kind"`
	Text string      `json:"text"`
}

// Step is the judged outcome of one step.
type Step struct {
	Name    string  `json:"name"`
	Verdict Verdict `json:"verdict"`
	Cause   Cause   `json:"cause,omitempty"`
	MS      int64   `json:"ms"`
	// Reason says the cause to people; code decides on Cause.
	Reason   string          `json:"reason,omitempty"`
	Diff     []string        `json:"diff,omitempty"`
	Log      []string        `json:"log,omitempty"`
	Failures []*kmsg.Failure `json:"failures,omitempty"`
	// FailuresOmitted counts kernel failures past the per-step cap.
	FailuresOmitted int    `json:"failures_omitted,omitempty"`
	TaintBefore     uint64 `json:"taint_before,omitempty"`
	TaintAfter      uint64 `json:"taint_after,omitempty"`
	// Leaks summarizes what kmemleak found the step left allocated.
	Leaks    string    `json:"leaks,omitempty"`
	Findings []Finding `json:"findings,omitempty"`

	// What the step achieved, for partial credit: the guest's status
	// ("ok", "failed", ...), the output matched the spec's format, the
	// truth rules held, and the kernel was left as it should be.
	Status   string `json:"status,omitempty"`
	Errno    string `json:"errno,omitempty"`
	OutputOK bool   `json:"output_ok"`
	TruthOK  bool   `json:"truth_ok"`
	Clean    bool   `json:"clean"`
	// Params are the module parameters the step was run with.
	Params string `json:"params,omitempty"`
	// Facts are the workloads' true values the step was judged against.
	Facts map[string]string `json:"facts,omitempty"`
}

// Ran reports whether the step ran at all.
func (s Step) Ran() bool {
	return s.Cause != NeverBegan && s.Cause != AfterFailed && s.Cause != Interrupted
}

// Module is the judged outcome of one module.
type Module struct {
	Name    string  `json:"name"`
	Verdict Verdict `json:"verdict"`
	Steps   []Step  `json:"steps"`
	// Error explains a verdict that no step carries (a build error, a
	// policy violation).
	Error string `json:"error,omitempty"`
	// Cause is the typed reason of Error.
	Cause Cause `json:"cause,omitempty"`
	// Findings are about the module as built, not a step: what a person
	// should review (NeedsReview). They cost no points.
	Findings []Finding `json:"findings,omitempty"`
}

// Summarize sets m.Verdict to the worst of its steps (pass when none),
// unless the module was judged before any step (build error, policy).
func (m *Module) Summarize() {
	if m.Verdict == BuildError || m.Verdict == Integrity && m.Cause == Policy {
		return
	}
	m.Verdict = Pass
	for _, s := range m.Steps {
		if s.Verdict.Worse(m.Verdict) {
			m.Verdict = s.Verdict
		}
	}
}

// Problem is a one-line account of why the module did not pass: the first
// step that did not pass, or "".
func (m *Module) Problem() string {
	if m.Error != "" && m.Verdict == BuildError {
		// "build x: make: exit status 2" says less than the compiler's
		// first complaint.
		for _, l := range strings.Split(m.Error, "\n") {
			if strings.Contains(l, "error:") || strings.Contains(l, "ERROR: ") {
				return "build: " + strings.TrimSpace(l)
			}
		}
	}
	if m.Error != "" {
		return firstLine(m.Error)
	}
	for _, s := range m.Steps {
		if s.Verdict != Pass && s.Verdict != Skipped {
			return fmt.Sprintf("%s: %s", s.Name, firstLine(s.Reason))
		}
	}
	for _, s := range m.Steps {
		if len(s.Findings) > 0 {
			return fmt.Sprintf("%s: %s", s.Name, firstLine(s.Findings[0].Text))
		}
	}
	return ""
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
