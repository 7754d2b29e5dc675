package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/lkmlab/lkmlab/lab/plan"
	"go.yaml.in/yaml/v3"
	"golang.org/x/sys/unix"
)

// The spec is decoded through yaml.Node fields so that every rule, output
// line and workload keeps its line number for error messages, and so that
// params may be a string or a mapping; unknown fields are still refused.
type specDoc struct {
	Description string    `yaml:"description"`
	Steps       []stepDoc `yaml:"steps"`
}

type stepDoc struct {
	Action  yaml.Node     `yaml:"action"`
	Name    string        `yaml:"name"`
	Params  yaml.Node     `yaml:"params"`
	Output  []yaml.Node   `yaml:"output"`
	Start   []workloadDoc `yaml:"start"`
	Truth   yaml.Node     `yaml:"truth"` // a sequence; its style tells [a, b] from a block list
	Loose   yaml.Node     `yaml:"loose"`
	Format  []formatDoc   `yaml:"format"`
	Error   string        `yaml:"error"`
	Timeout yaml.Node     `yaml:"timeout"`
	Probe   bool          `yaml:"probe"`
	Sweep   yaml.Node     `yaml:"sweep"`
	Hints   []hintDoc     `yaml:"hints"`
}

type formatDoc struct {
	Rule yaml.Node `yaml:"rule"`
	Say  string    `yaml:"say"`
}

type hintDoc struct {
	When yaml.Node `yaml:"when"`
	Say  string    `yaml:"say"`
}

type workloadDoc struct {
	Name yaml.Node `yaml:"name"`
	Kind yaml.Node `yaml:"kind"`
}

// yaml.v3 names the Go type of a struct with an unknown field; a course
// author needs the fields that exist instead.
var typeNames = strings.NewReplacer(
	"in type spec.specDoc", "at the top of the spec (fields: description, steps)",
	"in type spec.stepDoc", "in a step (fields: action, error, format, hints, loose, name, output, params, probe, start, sweep, timeout, truth)",
	"in type spec.hintDoc", "in a hint (fields: say, when)",
	"in type spec.formatDoc", "in a format rule (fields: rule, say)",
	"in type spec.workloadDoc", "in a workload (fields: kind, name)",
)

// decode reads the YAML, and the line where each step starts.
func decode(b []byte) (*specDoc, []int, error) {
	var doc specDoc
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, errors.New(typeNames.Replace(err.Error()))
	}
	if len(doc.Steps) == 0 {
		return nil, nil, errors.New("no steps (a spec lists steps: [{action: insmod, output: [...]}, ...])")
	}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, nil, err
	}
	return &doc, stepLines(&root, len(doc.Steps)), nil
}

func stepLines(root *yaml.Node, n int) []int {
	lines := make([]int, n)
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return lines
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "steps" {
			for j, st := range m.Content[i+1].Content {
				if j < n {
					lines[j] = st.Line
				}
			}
		}
	}
	return lines
}

// lineError is a problem at a line of the spec.
type lineError struct {
	line int
	err  error
}

// builder turns the decoded spec into a Spec, collecting every problem.
type builder struct {
	workloads map[string]string // name -> kind, of the steps so far
	errs      []lineError
}

func (b *builder) fail(line int, format string, args ...any) {
	b.errs = append(b.errs, lineError{line, fmt.Errorf(format, args...)})
}

func (doc *specDoc) build(name string, lines []int) (*Spec, error) {
	b := &builder{workloads: map[string]string{}}
	s := &Spec{Description: doc.Description}
	for i, sd := range doc.Steps {
		s.Steps = append(s.Steps, b.step(sd, lines[i]))
	}
	if len(b.errs) == 0 {
		return s, nil
	}
	sort.SliceStable(b.errs, func(i, j int) bool { return b.errs[i].line < b.errs[j].line })
	var errs []error
	for _, e := range b.errs {
		errs = append(errs, fmt.Errorf("%s:%d: %w", name, e.line, e.err))
	}
	return nil, fmt.Errorf("parse spec: %w", errors.Join(errs...))
}

func (b *builder) step(sd stepDoc, line int) Step {
	st := Step{Action: sd.Action.Value, Name: sd.Name, Error: sd.Error, Timeout: sd.Timeout.Value, Probe: sd.Probe}
	if st.Action != "insmod" && st.Action != "rmmod" {
		b.fail(at(sd.Action, line), "action %q: want insmod or rmmod", st.Action)
	}
	if st.Error != "" && !errnoNames[st.Error] {
		b.fail(line, "error %q is not an errno name (such as EINVAL, ENOMEM, ESRCH, EFAULT)", st.Error)
	}
	if _, err := st.TimeoutDuration(); err != nil {
		b.fail(at(sd.Timeout, line), "%v", err)
	}
	if err := st.sweep(sd.Sweep.Value); err != nil {
		b.fail(at(sd.Sweep, line), "%v", err)
	}
	b.start(&st, sd.Start, line)
	captures := b.output(&st, sd.Output)
	b.params(&st, sd.Params)
	st.Truth = b.rules("truth", sd.Truth, captures)
	st.Loose = b.rules("loose", sd.Loose, nil)
	for _, f := range sd.Format {
		if rule, ok := b.rule("format", f.Rule, f.Say, captures, line); ok {
			st.Format = append(st.Format, FormatRule{Rule: rule, Say: f.Say})
		}
	}
	for _, h := range sd.Hints {
		if when, ok := b.rule("hint", h.When, h.Say, captures, line); ok {
			st.Hints = append(st.Hints, Hint{When: when, Say: h.Say})
		}
	}
	return st
}

// rule checks one rule that comes with what to say to the student (a
// hint's, a format rule's).
func (b *builder) rule(kind string, n yaml.Node, say string, captures []string, line int) (string, bool) {
	seq := yaml.Node{Kind: yaml.SequenceNode, Line: n.Line, Content: []*yaml.Node{&n}}
	rules := b.rules(kind, seq, captures)
	if say == "" {
		b.fail(at(n, line), "%s: say what to tell the student", kind)
		return "", false
	}
	if len(rules) != 1 {
		return "", false
	}
	return rules[0], true
}

// errnoNames are the names the guest reports a failed step's errno by.
var errnoNames = map[string]bool{}

func init() {
	for e := unix.Errno(1); e < 256; e++ {
		if n := unix.ErrnoName(e); n != "" {
			errnoNames[n] = true
		}
	}
}

// text is a scalar's text. YAML reads a leading ! as a tag and drops it
// from the value, which would turn "!(a == b)" into "(a == b)" unseen.
func (b *builder) text(n yaml.Node, what string) (string, bool) {
	switch {
	case n.Kind == yaml.MappingNode:
		b.fail(n.Line, "%s: YAML read a mapping here, from a \": \" in the line; put the line in single quotes", what)
		return "", false
	case n.Kind != yaml.ScalarNode:
		b.fail(n.Line, "%s: want one line of text", what)
		return "", false
	case n.Style&yaml.TaggedStyle != 0:
		b.fail(n.Line, "%s: YAML read %q as a tag; quote the line: '%s %s'", what, n.Tag, n.Tag, n.Value)
		return "", false
	}
	return n.Value, true
}

// at is n's line, or the step's when n is absent.
func at(n yaml.Node, step int) int {
	if n.Line > 0 {
		return n.Line
	}
	return step
}

func (b *builder) start(st *Step, ws []workloadDoc, line int) {
	for _, w := range ws {
		name, kind := w.Name.Value, w.Kind.Value
		l := at(w.Name, at(w.Kind, line))
		switch {
		case !identifier.MatchString(name):
			b.fail(l, "workload name %q: want a short name of letters, digits and _ (rules say name.fact)", name)
		case !slices.Contains(plan.Kinds, kind):
			b.fail(l, "workload %s: kind %q is not one of %s", name, kind, strings.Join(plan.Kinds, ", "))
		case b.workloads[name] != "":
			b.fail(l, "workload %s is started twice (workloads run until the module's last step; give each its own name)", name)
		default:
			b.workloads[name] = kind
		}
		st.Start = append(st.Start, Workload{Name: name, Kind: kind})
	}
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// output checks the output lines and returns the names they capture.
func (b *builder) output(st *Step, lines []yaml.Node) []string {
	var captures []string
	for _, n := range lines {
		text, ok := b.text(n, "output")
		if !ok {
			continue
		}
		st.Output = append(st.Output, text)
		l, err := parseLine(text)
		if err != nil {
			b.fail(n.Line, "%v", err)
			continue
		}
		if l.re != nil {
			for _, c := range l.re.SubexpNames() {
				if c != "" && !slices.Contains(captures, c) {
					captures = append(captures, c)
				}
			}
		}
	}
	return captures
}
