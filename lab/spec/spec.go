// Package spec reads a module's expected behaviour (modules/<name>/spec.yaml)
// and compares what a step printed against it -> match or a line diff.
package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

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
	Params string `yaml:"params,omitempty"`
	// Output lists the lines the module must print during the step, in
	// order and nothing else. A line is literal text, or a regular
	// expression (matched against the whole line) when it starts with "re:".
	Output []string `yaml:"output,omitempty"`
	// Error, when set, is the errno the step must fail with ("ENOMEM").
	Error string `yaml:"error,omitempty"`
	// Timeout bounds the step, e.g. "5s". Default 10s.
	Timeout string `yaml:"timeout,omitempty"`
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
		if re, ok := strings.CutPrefix(l, "re:"); ok {
			if _, err := regexp.Compile("^(?:" + re + ")$"); err != nil {
				return fmt.Errorf("output line %q: %w", l, err)
			}
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

// Match reports whether got equals the expected lines; diff shows both
// sides line by line when it does not.
func (st Step) Match(got []string) (ok bool, diff []string) {
	n := max(len(st.Output), len(got))
	ok = len(st.Output) == len(got)
	for i := 0; i < n; i++ {
		var want, have string
		var haveW, haveG bool
		if i < len(st.Output) {
			want, haveW = st.Output[i], true
		}
		if i < len(got) {
			have, haveG = got[i], true
		}
		if haveW && haveG && lineMatches(want, have) {
			diff = append(diff, "  "+have)
			continue
		}
		ok = false
		if haveW {
			diff = append(diff, "- "+want)
		}
		if haveG {
			diff = append(diff, "+ "+have)
		}
	}
	return ok, diff
}

func lineMatches(want, got string) bool {
	if re, ok := strings.CutPrefix(want, "re:"); ok {
		return regexp.MustCompile("^(?:" + re + ")$").MatchString(got)
	}
	return want == got
}
