// Package verdict judges a run: spec + the agent's records + the console
// log -> a verdict per step and per module.
package verdict

import (
	"fmt"
	"strings"

	"github.com/lkmlab/lkmlab/lab/kmsg"
)

// Verdict is the outcome of a step or a module.
type Verdict string

// The verdicts, from best to worst.
const (
	Pass       Verdict = "pass"
	Skipped    Verdict = "skipped"
	Fail       Verdict = "fail"
	Timeout    Verdict = "timeout"
	Crash      Verdict = "crash"
	BuildError Verdict = "build-error"
)

var rank = map[Verdict]int{Pass: 0, Skipped: 1, Fail: 2, Timeout: 3, Crash: 4, BuildError: 5}

// Worse reports whether v is worse than w.
func (v Verdict) Worse(w Verdict) bool { return rank[v] > rank[w] }

// Step is the judged outcome of one step.
type Step struct {
	Name        string          `json:"name"`
	Verdict     Verdict         `json:"verdict"`
	MS          int64           `json:"ms"`
	Reason      string          `json:"reason,omitempty"`
	Diff        []string        `json:"diff,omitempty"`
	Log         []string        `json:"log,omitempty"`
	Failures    []*kmsg.Failure `json:"failures,omitempty"`
	TaintBefore uint64          `json:"taint_before,omitempty"`
	TaintAfter  uint64          `json:"taint_after,omitempty"`
	// Leaks summarizes what kmemleak found the step left allocated.
	Leaks string `json:"leaks,omitempty"`

	// What the step achieved, for partial credit: the guest's status
	// ("ok", "failed", ...), the output matched the spec's format, the
	// truth rules held, and the kernel was left as it should be.
	Status   string `json:"status,omitempty"`
	OutputOK bool   `json:"output_ok"`
	TruthOK  bool   `json:"truth_ok"`
	Clean    bool   `json:"clean"`
}

// Module is the judged outcome of one module.
type Module struct {
	Name    string  `json:"name"`
	Verdict Verdict `json:"verdict"`
	Steps   []Step  `json:"steps"`
	// Error explains a verdict that no step carries (a build error).
	Error string `json:"error,omitempty"`
}

// Summarize sets m.Verdict to the worst of its steps (pass when none).
func (m *Module) Summarize() {
	if m.Verdict == BuildError {
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
	if m.Error != "" {
		return firstLine(m.Error)
	}
	for _, s := range m.Steps {
		if s.Verdict != Pass && s.Verdict != Skipped {
			return fmt.Sprintf("%s: %s", s.Name, firstLine(s.Reason))
		}
	}
	return ""
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
