// Package assign reads an assignment -> the tasks a submission is graded on:
// which file each task takes, the parameters its module must declare, the
// spec it is checked against, and the points per step.
package assign

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/lkmlab/lkmlab/lab/ko"
	"github.com/lkmlab/lkmlab/lab/spec"
	"github.com/lkmlab/lkmlab/modules"
	"go.yaml.in/yaml/v3"
)

// Assignment is what students hand in and how it is graded.
type Assignment struct {
	Name string `yaml:"name"`
	// Params may declare parameters once, as YAML anchors that tasks name
	// with aliases (params: [*pid]); it has no meaning of its own.
	Params []Param `yaml:"params,omitempty"`
	Tasks  []Task  `yaml:"tasks"`
	// Kernel is the kernel the course grades on, by the name lkmlab
	// kernels lists (debian-6.1, debian-5.10, debian-6.12-arm64, ...), so
	// every grader of the course boots the same one; grade's --kernel
	// overrides it. "": the default kernel.
	Kernel string `yaml:"kernel,omitempty"`
	// FallbackKernels are kernels, by name, that a task whose module does
	// not build on the assignment's kernel is graded on instead, the
	// first it builds on: code written for the kernel a student had
	// (task->state and mm->mmap before 5.14 and 6.1) is graded on its
	// merits, and the report says on which kernel. Empty: a build error
	// is a build error.
	FallbackKernels []string `yaml:"fallback_kernels,omitempty"`
	// Reruns is how many times a task whose run lost points for a reason
	// that may be chance (a value off, a timeout) is run again in a
	// fresh VM with new random values before the points are lost; the
	// points are forgiven only when every rerun earns them all, and the
	// result says how many failed. 0: none.
	Reruns int `yaml:"reruns,omitempty"`
	// Static says what each compiler warning and style complaint costs
	// (the warnings and style points of a task).
	Static Static `yaml:"static,omitempty"`
}

// Static prices the static items: points.warnings is lost a cost per
// warning that gcc's W=1 gives on the student's own files, points.style a
// cost per complaint of the kernel's checkpatch.pl --strict, each down to
// 0.
type Static struct {
	// WarningCost and StyleCost are the points one item costs; 0 means 1.
	WarningCost int `yaml:"warning_cost,omitempty"`
	StyleCost   int `yaml:"style_cost,omitempty"`
	// StyleIgnore are checkpatch types not counted (LINUX_VERSION_CODE,
	// LONG_LINE, ...), as checkpatch --ignore takes them.
	StyleIgnore []string `yaml:"style_ignore,omitempty"`
}

// Task is one module of an assignment.
type Task struct {
	// Name is the task and the name the module is built under.
	Name string `yaml:"name"`
	// Files are glob patterns for the file's base name anywhere in the
	// submission, matched without regard to case, tried in order (see
	// PickAll: old copies come last).
	Files []string `yaml:"files"`
	// Params are the parameters the module must declare, by role: the
	// names a course accepts for each and the types; a module without
	// one is not booted. A plain string is a role whose only name is it.
	Params []Param `yaml:"params,omitempty"`
	// Detect are regular expressions over a C module's text (comments
	// ignored) that pick the task's file when no name matches (a
	// submission that names its files its own way); the file must match
	// all of them, and none that starts with "!".
	Detect []string `yaml:"detect,omitempty"`
	// Policy restricts the symbols the module may import and the
	// instructions it may contain; breaking it is an integrity verdict.
	Policy ko.Policy `yaml:"policy,omitempty"`
	// Spec is a spec file, relative to the assignment file, or
	// "seed:NAME" for a seed module's spec.
	Spec   string `yaml:"spec"`
	Points Points `yaml:"points"`
	// Skeleton is the file the course handed out for this task, relative
	// to the assignment file: the similarity report leaves out what every
	// submission took from it.
	Skeleton string `yaml:"skeleton,omitempty"`
	// Visibility is who sees the task's feedback on a grading platform
	// (lab/platform): visible (the default), after_due_date,
	// after_published, or hidden (staff only). Its points count in every
	// case.
	Visibility Visibility `yaml:"visibility,omitempty"`
	// StepVisibility hides some steps more than the task, by the name
	// their spec gives them ("pid 0": hidden): a secret probe in a task
	// whose other steps students see.
	StepVisibility map[string]Visibility `yaml:"step_visibility,omitempty"`

	// Loaded is the parsed spec.
	Loaded *spec.Spec `yaml:"-"`
	// SkeletonText is the Skeleton file's text, read by Load.
	SkeletonText string `yaml:"-"`
}

// Param is a module parameter a task needs, by role: the spec's params
// name roles ({pid: ...}), and the harness passes each under the name the
// student's module declares.
type Param struct {
	// Role is how the spec names the parameter.
	Role string `yaml:"role"`
	// Names are the names accepted for it, in order of preference;
	// matched without regard to case. Default: the role.
	Names []string `yaml:"names,omitempty"`
	// Types are the module_param types accepted (int, long, ulong, charp,
	// ...); empty accepts any.
	Types []string `yaml:"types,omitempty"`
	// ByType lets the harness take the one parameter of an accepted type
	// that no other role claims when no name matches; among several, the
	// one whose name or description mentions a hint. A parameter named
	// like a flag (debug, verbose, ...) is never taken by its type alone.
	ByType bool `yaml:"by_type,omitempty"`
	// Hints are words that mark a parameter as this role in its name or
	// its MODULE_PARM_DESC ("target", described as "pid of the process"),
	// matched without regard to case. Default: the role.
	Hints []string `yaml:"hints,omitempty"`
}

// HintWords are the hints in lower case, or the role when none are given.
func (p Param) HintWords() []string {
	hints := p.Hints
	if len(hints) == 0 {
		hints = []string{p.Role}
	}
	out := make([]string, 0, len(hints))
	for _, h := range hints {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			out = append(out, h)
		}
	}
	return out
}

// UnmarshalYAML accepts a plain string as a role of that one name.
func (p *Param) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*p = Param{Role: n.Value, Names: []string{n.Value}}
		return nil
	}
	type plain Param
	if err := n.Decode((*plain)(p)); err != nil {
		return err
	}
	if len(p.Names) == 0 {
		p.Names = []string{p.Role}
	}
	return nil
}

// Points are what each part of a task is worth.
type Points struct {
	Build  int `yaml:"build" json:"build"`   // the module compiles
	Load   int `yaml:"load" json:"load"`     // the insmods that should succeed do
	Output int `yaml:"output" json:"output"` // the documented format, every step but probes
	Truth  int `yaml:"truth" json:"truth"`   // what it prints is true (even in other wording), every step but probes
	Unload int `yaml:"unload" json:"unload"` // rmmod succeeds and nothing is left behind (leaks, taint, still loaded)
	// Robust: every probe (bad input) ends without a crash and leaves
	// nothing loaded.
	Robust int `yaml:"robust,omitempty" json:"robust,omitempty"`
	// Warnings: no compiler warning with W=1 in the student's files;
	// Style: no checkpatch --strict complaint (see Static for the cost
	// of each). Both need the module to build.
	Warnings int `yaml:"warnings,omitempty" json:"warnings,omitempty"`
	Style    int `yaml:"style,omitempty" json:"style,omitempty"`
}

// Total is the task's maximum.
func (p Points) Total() int {
	return p.Build + p.Load + p.Output + p.Truth + p.Unload + p.Robust + p.Warnings + p.Style
}

// Parts are the points by part name (build, load, output, truth, unload,
// robust, warnings, style), as assignment files and reports name them.
func (p Points) Parts() map[string]int {
	return map[string]int{"build": p.Build, "load": p.Load, "output": p.Output, "truth": p.Truth,
		"unload": p.Unload, "robust": p.Robust, "warnings": p.Warnings, "style": p.Style}
}

// Load reads an assignment file and the specs it names.
func Load(file string) (*Assignment, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("load assignment: %w", err)
	}
	var a Assignment
	if err := decodeStrict(string(b), &a); err != nil {
		return nil, fmt.Errorf("parse assignment %s: %w", file, err)
	}
	if a.Name == "" {
		a.Name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	return &a, a.resolve(filepath.Dir(file))
}

func decodeStrict(s string, v any) error {
	dec := yaml.NewDecoder(strings.NewReader(s))
	dec.KnownFields(true)
	return dec.Decode(v)
}

func (a *Assignment) resolve(dir string) error {
	if len(a.Tasks) == 0 {
		return fmt.Errorf("assignment %s: no tasks", a.Name)
	}
	seen := map[string]bool{}
	for i := range a.Tasks {
		t := &a.Tasks[i]
		if t.Name == "" || seen[t.Name] || strings.ContainsAny(t.Name, "/ -.") {
			return fmt.Errorf("assignment %s: task %d: want a unique name of letters, digits and _", a.Name, i+1)
		}
		seen[t.Name] = true
		for _, g := range t.Files {
			if _, err := path.Match(g, "x"); err != nil {
				return fmt.Errorf("assignment %s: task %s: file pattern %q: %w", a.Name, t.Name, g, err)
			}
		}
		if err := CheckDetect(t.Detect); err != nil {
			return fmt.Errorf("assignment %s: task %s: %w", a.Name, t.Name, err)
		}
		if err := t.Policy.Validate(); err != nil {
			return fmt.Errorf("assignment %s: task %s: policy: %w", a.Name, t.Name, err)
		}
		s, err := loadSpec(dir, t.Spec)
		if err != nil {
			return fmt.Errorf("assignment %s: task %s: %w", a.Name, t.Name, err)
		}
		t.Loaded = s
		if err := t.loadSkeleton(dir); err != nil {
			return fmt.Errorf("assignment %s: task %s: %w", a.Name, t.Name, err)
		}
		if err := t.checkVisibility(); err != nil {
			return fmt.Errorf("assignment %s: task %s: %w", a.Name, t.Name, err)
		}
	}
	if a.Reruns < 0 || a.Reruns > 5 {
		return fmt.Errorf("assignment %s: reruns %d: want 0 to 5 (each rerun boots a VM)", a.Name, a.Reruns)
	}
	for _, k := range a.FallbackKernels {
		if !kernelName.MatchString(k) {
			return fmt.Errorf("assignment %s: fallback kernel %q: name one of the kernels lkmlab kernels lists, such as debian-5.10", a.Name, k)
		}
	}
	if a.Kernel != "" && !kernelName.MatchString(a.Kernel) {
		return fmt.Errorf("assignment %s: kernel %q: name one of the kernels lkmlab kernels lists, such as debian-6.1 (a path is a grader's choice: give it with --kernel)", a.Name, a.Kernel)
	}
	return nil
}

// kernelName is what an assignment may name as its kernel: a name, not a
// path on one grader's machine.
var kernelName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)

// loadSkeleton reads the task's skeleton file, if it names one.
func (t *Task) loadSkeleton(dir string) error {
	if t.Skeleton == "" {
		return nil
	}
	p := t.Skeleton
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return fmt.Errorf("load skeleton (the file handed out for the task; fix the skeleton: path): %w", err)
	}
	t.SkeletonText = string(b)
	return nil
}

func loadSpec(dir, ref string) (*spec.Spec, error) {
	if name, ok := strings.CutPrefix(ref, "seed:"); ok {
		b, err := modules.Specs.ReadFile(name + "/" + spec.File)
		if err != nil {
			return nil, fmt.Errorf("no seed module %q", name)
		}
		return spec.Parse(ref, b)
	}
	p := ref
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("load spec: %w", err)
	}
	return spec.Parse(p, b)
}

// Visibility is who may see a task's or a step's feedback, in Gradescope's
// words, from most to least shown. The zero value is Visible.
type Visibility string

// The visibilities.
const (
	Visible        Visibility = "visible"
	AfterDueDate   Visibility = "after_due_date"
	AfterPublished Visibility = "after_published"
	Hidden         Visibility = "hidden" // staff only
)

// visibilityRank orders the visibilities: a due date usually comes before
// grades are published.
var visibilityRank = map[Visibility]int{"": 0, Visible: 0, AfterDueDate: 1, AfterPublished: 2, Hidden: 3}

// UnmarshalYAML accepts the four visibilities only.
func (v *Visibility) UnmarshalYAML(n *yaml.Node) error {
	if _, ok := visibilityRank[Visibility(n.Value)]; !ok || n.Kind != yaml.ScalarNode || n.Value == "" {
		return fmt.Errorf("line %d: visibility %q: want visible, after_due_date, after_published or hidden", n.Line, n.Value)
	}
	*v = Visibility(n.Value)
	return nil
}

// Or is v, or Visible when v is unset.
func (v Visibility) Or() Visibility {
	if v == "" {
		return Visible
	}
	return v
}

// Hides reports whether v shows as little as w, or less.
func (v Visibility) Hides(w Visibility) bool { return visibilityRank[v] >= visibilityRank[w] }

// VisibilityOf is the visibility of the task's i-th step: its own, by
// the name its spec gives it, else the task's.
func (t Task) VisibilityOf(i int) Visibility {
	if t.Loaded != nil && i >= 0 && i < len(t.Loaded.Steps) {
		if v, ok := t.StepVisibility[t.Loaded.Steps[i].Name]; ok && v != "" {
			return v
		}
	}
	return t.Visibility.Or()
}

// checkVisibility wants every step_visibility key to name a step of the
// spec, hiding at least as much as the task: a step shown more than its
// task would give a student feedback on a task they may not see.
func (t Task) checkVisibility() error {
	names := []string{}
	for _, s := range t.Loaded.Steps {
		if s.Name != "" {
			names = append(names, fmt.Sprintf("%q", s.Name))
		}
	}
	if len(names) == 0 {
		names = append(names, "none")
	}
	for name, v := range t.StepVisibility {
		if !slices.ContainsFunc(t.Loaded.Steps, func(s spec.Step) bool { return s.Name == name }) {
			return fmt.Errorf("step_visibility: the spec has no step named %q (named steps: %s): name the step with name: in its spec",
				name, strings.Join(names, ", "))
		}
		if !v.Or().Hides(t.Visibility.Or()) {
			return fmt.Errorf("step_visibility: step %q is %s, which shows more than its task (%s): a step can only be hidden more than its task",
				name, v.Or(), t.Visibility.Or())
		}
	}
	return nil
}
