// Package spec reads a module's expected behaviour (modules/<name>/spec.yaml)
// and compares what a step printed against it -> match or a line diff.
package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lkmlab/lkmlab/lab/plan"
	"gopkg.in/yaml.v3"
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
	Name   string `yaml:"name,omitempty"`
	Params string `yaml:"params,omitempty"`
	// Output lists the lines the module must print during the step, in
	// order and nothing else. A line is literal text; "re:" makes it a
	// regular expression for one whole line, "re*:" for any number of
	// lines (zero or more). Named groups, (?P<pid>\d+), capture values for
	// Truth.
	Output []string `yaml:"output,omitempty"`
	// Start lists workloads to start before the step: processes whose
	// facts Params and Truth can name as "name.fact".
	Start []Workload `yaml:"start,omitempty"`
	// Truth lists rules the captured values must satisfy, such as
	// "pid == w.pid && bytes == w.heap_bytes"; see truth.go.
	Truth []string `yaml:"truth,omitempty"`
	// Error, when set, is the errno the step must fail with ("ENOMEM").
	Error string `yaml:"error,omitempty"`
	// Timeout bounds the step, e.g. "5s". Default 10s.
	Timeout string `yaml:"timeout,omitempty"`
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

// Parse decodes and checks a spec; name is used in errors.
func Parse(name string, b []byte) (*Spec, error) {
	var s Spec
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("parse spec %s: %w", name, err)
	}
	if len(s.Steps) == 0 {
		return nil, fmt.Errorf("parse spec %s: no steps", name)
	}
	for i, st := range s.Steps {
		if err := st.check(); err != nil {
			return nil, fmt.Errorf("parse spec %s: step %d: %w", name, i+1, err)
		}
	}
	return &s, nil
}

func (st Step) check() error {
	if st.Action != "insmod" && st.Action != "rmmod" {
		return fmt.Errorf("action %q: want insmod or rmmod", st.Action)
	}
	if _, err := st.TimeoutDuration(); err != nil {
		return err
	}
	for _, l := range st.Output {
		if _, err := parseLine(l); err != nil {
			return err
		}
	}
	for _, w := range st.Start {
		if !slices.Contains(plan.Kinds, w.Kind) || w.Name == "" {
			return fmt.Errorf("workload %q of kind %q: want a name and a kind among %v", w.Name, w.Kind, plan.Kinds)
		}
	}
	for _, t := range st.Truth {
		if _, err := parseRule(t); err != nil {
			return err
		}
	}
	return nil
}

// TimeoutDuration is the step's timeout, 0 for the default.
func (st Step) TimeoutDuration() (time.Duration, error) {
	if st.Timeout == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(st.Timeout)
	if err != nil {
		return 0, fmt.Errorf("timeout %q: %w", st.Timeout, err)
	}
	return d, nil
}
