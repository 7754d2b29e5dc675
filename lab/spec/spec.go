// Package spec reads a module's expected behaviour (modules/<name>/spec.yaml)
// and judges a step against it: spec + printed lines + workload facts -> a
// line diff and the truth rules that do not hold. docs/spec.md is the
// language.
package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// File is the name of a module's spec inside its folder.
const File = "spec.yaml"

// Spec is what a module must do, step by step.
type Spec struct {
	Description string `yaml:"description"`
	Steps       []Step `yaml:"steps"`
}

// Step is one action and what it must print.
type Step struct {
	Action string `yaml:"action"` // insmod or rmmod
	// Name labels the step in reports, after the action: "huge page".
	Name string `yaml:"name,omitempty"`
	// Params are the module parameters as insmod takes them, "pid=1
	// addr=0x10", with {w.fact} standing for a workload's fact. A spec
	// may give them as a mapping by role instead; ParamList has them in
	// order either way, and Params holds the same as a string.
	Params string `yaml:"params,omitempty"`
	// Output lists the lines the module must print during the step, in
	// order and nothing else. A line is literal text; "re:" makes it a
	// regular expression for one whole line, "re*:" for any number of
	// lines (zero or more). Named groups, (?P<pid>\d+), capture values for
	// Truth. Runs of spaces and tabs match any other run.
	Output []string `yaml:"output,omitempty"`
	// Start lists workloads to start before the step: processes whose
	// facts Params and rules can name as "name.fact".
	Start []Workload `yaml:"start,omitempty"`
	// Truth lists rules the captured values must satisfy, such as
	// "pid == w.pid && bytes == w.heap_bytes" (docs/spec.md).
	Truth []string `yaml:"truth,omitempty"`
	// Loose lists rules judged instead of Truth when the output's format
	// does not match: they find values on the step's lines, printed(w.pid).
	Loose []string `yaml:"loose,omitempty"`
	// Format lists rules over the captures that the output's format
	// needs besides its regular expressions, judged when the lines
	// match: a number the spec wants in hex that is right only when read
	// in decimal was printed in decimal. A step whose format rules fail
	// has its output wrong and its truth judged on the captures.
	Format []FormatRule `yaml:"format,omitempty"`
	// Error, when set, is the errno the step must fail with ("ENOMEM");
	// for a probe, the errno the course documents.
	Error string `yaml:"error,omitempty"`
	// Timeout bounds the step, e.g. "5s". Default 10s.
	Timeout string `yaml:"timeout,omitempty"`
	// Probe marks a robustness probe (a bad pid, a kernel thread): it is
	// graded on no crash, a clean error or success, and nothing left
	// loaded. Its Error and Output are the documented expectation,
	// reported but not required.
	Probe bool `yaml:"probe,omitempty"`
	// Sweep, on an insmod, is an error-path sweep: "allocations" fails
	// the n-th allocation the load makes, for n = 1, 2, ..., each of
	// which must end in a clean error (no crash, no leak, nothing left
	// loaded), until the module loads with no failure injected; it is
	// then unloaded. A sweep is a probe (its output is not required) and
	// needs a kernel with fault injection (minimal-debug); elsewhere it
	// is a plain probe insmod. See sweep.go.
	Sweep string `yaml:"sweep,omitempty"`
	// Hints say, for a step whose truth or loose rules failed, what the
	// module most likely did: each Say is added to the reason when its
	// When rule holds ("the value is inside pid 1's stack, not its base").
	Hints []Hint `yaml:"hints,omitempty"`

	params []Param // from a mapping, in YAML order; nil for the string form
}

// FormatRule is a rule the format needs, and what to tell the student
// when it does not hold ("the physical address is printed in decimal").
type FormatRule struct {
	Rule string `yaml:"rule"`
	Say  string `yaml:"say"`
}

// Hint is an explanation for a student, given when its rule holds.
type Hint struct {
	When string `yaml:"when"`
	Say  string `yaml:"say"`
}

// Workload names a workload kind (see plan.Kinds) for a step.
type Workload struct {
	Name string `yaml:"name"`
	Kind string `yaml:"kind"`
}

// Load reads dir/spec.yaml.
func Load(dir string) (*Spec, error) {
	p := filepath.Join(dir, File)
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("load spec: %w (each module folder needs a %s; see modules/hello)", err, File)
	}
	return Parse(p, b)
}

// Parse decodes and checks a spec; name (its path) is used in errors,
// which give the line: "spec.yaml:23: truth ...". Every name a rule or a
// parameter uses must exist: a capture of the step's output, a workload
// started by then, a fact its kind reports (plan.Facts), a function.
func Parse(name string, b []byte) (*Spec, error) {
	doc, lines, err := decode(b)
	if err != nil {
		return nil, fmt.Errorf("parse spec: %s: %w", name, err)
	}
	return doc.build(name, lines)
}

// TimeoutDuration is the step's timeout, 0 for the default.
func (st Step) TimeoutDuration() (time.Duration, error) {
	if st.Timeout == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(st.Timeout)
	if err != nil {
		return 0, fmt.Errorf("timeout %q: %w (write a duration such as 5s)", st.Timeout, err)
	}
	return d, nil
}
