// Package replay reruns one step of a report: a check's JSON report or a
// grade's result.json, and a step -> the same modules (or tasks) in the
// same order, with the same seed, on the same kernel -> the step's verdict
// and values now, beside the report's.
//
// The workload values are drawn from the seed in plan order, over every
// module of the run (check/draw.go): a replay runs all of the report's
// modules, not only the step's, or the values would differ.
package replay

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/report"
	"github.com/lkmlab/lkmlab/lab/result"
)

// Report is what a saved report says about its run.
type Report struct {
	Path   string
	Grade  bool // a grade's result.json, else a check's JSON report
	Kernel string
	// Release and BuildID name the kernel build, where recorded.
	Release, BuildID string
	Seed             uint64
	// Modules are the modules (a grade's tasks that ran) as reported, in
	// the order they ran; Args are how a check names them to find their
	// folders (their names, or the paths a person typed).
	Modules []result.Module
	Args    []string
	// A grade's: whose, from where, under which assignment, and what the
	// flake guard ran (a task's kept run may be a rerun with a seed of
	// its own).
	Student, Source, Assignment string
	Runs                        map[string]grade.Runs
	// TaskKernels names, for a grade's task graded on a fallback kernel
	// (its module did not build on Kernel), that kernel.
	TaskKernels map[string]string
}

// KernelFor returns the kernel the module ran on and its build, where
// recorded: a fallback kernel's build is not recorded.
func (r *Report) KernelFor(module string) (name, release, buildID string) {
	if k := r.TaskKernels[module]; k != "" {
		return k, "", ""
	}
	return r.Kernel, r.Release, r.BuildID
}

// Fresh is a report that was not saved: a check's kernel, seed and
// modules as its table's replay line gives them. Its steps are unknown:
// a replay of it shows the step as it is now, with nothing beside it.
func Fresh(kernel string, seed uint64, modules []string) *Report {
	r := &Report{Kernel: kernel, Seed: seed, Args: modules}
	for _, m := range modules {
		r.Modules = append(r.Modules, result.Module{Name: filepath.Base(filepath.Clean(m))})
	}
	return r
}

// FirstFailed is the report's first step that did not pass.
func (r *Report) FirstFailed() (Ref, bool) {
	for _, m := range r.Modules {
		for i, s := range m.Steps {
			if s.Verdict != result.Pass && s.Verdict != result.Skipped {
				return Ref{Module: m.Name, Index: i}, true
			}
		}
	}
	return Ref{}, false
}

// saved reports whether the report was read from a file.
func (r *Report) saved() bool { return r.Path != "" }

// Load reads a check's JSON report (lkmlab check --json) or a grade's
// result.json.
func Load(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	var probe struct {
		Student *string         `json:"student"`
		Modules json.RawMessage `json:"modules"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("read report %s: %w", path, err)
	}
	switch {
	case probe.Student != nil:
		return loadGrade(path, b)
	case probe.Modules != nil:
		return loadCheck(path, b)
	}
	return nil, fmt.Errorf("read report %s: neither a check's JSON report (lkmlab check --json) nor a grade's result.json", path)
}

func loadCheck(path string, b []byte) (*Report, error) {
	var j report.JSON
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, fmt.Errorf("read check report %s: %w", path, err)
	}
	r := &Report{Path: path, Kernel: j.Kernel, Release: j.Release, BuildID: j.Versions.KernelBuildID, Seed: j.Seed}
	for _, m := range j.Modules {
		r.Modules = append(r.Modules, result.Module{Name: m.Name, Verdict: m.Verdict, Error: m.Error, Steps: m.Steps})
	}
	return r, nil
}

func loadGrade(path string, b []byte) (*Report, error) {
	var g grade.Result
	if err := json.Unmarshal(b, &g); err != nil {
		return nil, fmt.Errorf("read grade result %s: %w", path, err)
	}
	r := &Report{Path: path, Grade: true, Kernel: g.Kernel, Release: g.KernelRelease, BuildID: g.KernelBuildID,
		Seed: g.Seed, Student: g.Student, Source: g.Source, Assignment: g.Assignment, Runs: g.Runs}
	for _, t := range g.Tasks {
		if t.Kernel != "" {
			if r.TaskKernels == nil {
				r.TaskKernels = map[string]string{}
			}
			r.TaskKernels[t.Name] = t.Kernel
		}
		if t.Module != nil {
			m := *t.Module
			m.Name = t.Name
			r.Modules = append(r.Modules, m)
		}
	}
	return r, nil
}

// Ref names a step: its module and its place among the module's steps.
type Ref struct {
	Module string
	Index  int // 0-based
}

// String is the form ParseRef reads, counting steps from 1: "heap:2".
func (r Ref) String() string { return r.Module + ":" + strconv.Itoa(r.Index+1) }

// ParseRef reads "MODULE:N" (N from 1), or "MODULE" for the module's
// first step that did not pass.
func ParseRef(s string) (Ref, error) {
	name, n, found := strings.Cut(s, ":")
	if name == "" {
		return Ref{}, fmt.Errorf("step %q: want MODULE:N, the module's name and the step's place from 1 (heap:2)", s)
	}
	if !found {
		return Ref{Module: name, Index: -1}, nil
	}
	i, err := strconv.Atoi(n)
	if err != nil || i < 1 {
		return Ref{}, fmt.Errorf("step %q: want MODULE:N with N from 1 (heap:2)", s)
	}
	return Ref{Module: name, Index: i - 1}, nil
}

// Find resolves ref in the report: the module and the step as reported.
func (r *Report) Find(ref Ref) (Ref, result.Step, error) {
	var names []string
	for _, m := range r.Modules {
		names = append(names, m.Name)
		if m.Name != ref.Module {
			continue
		}
		if !r.saved() {
			return ref, result.Step{}, nil // known once it ran
		}
		if ref.Index < 0 {
			for i, s := range m.Steps {
				if s.Verdict != result.Pass && s.Verdict != result.Skipped {
					return Ref{m.Name, i}, s, nil
				}
			}
			return ref, result.Step{}, fmt.Errorf("every step of %s passed in %s: name one as %s:N", m.Name, r.Path, m.Name)
		}
		if ref.Index >= len(m.Steps) {
			return ref, result.Step{}, fmt.Errorf("%s has %d steps in %s, not %d", m.Name, len(m.Steps), r.Path, ref.Index+1)
		}
		return ref, m.Steps[ref.Index], nil
	}
	if len(names) == 0 {
		return ref, result.Step{}, errors.New("the report ran no module: nothing to replay")
	}
	return ref, result.Step{}, fmt.Errorf("no module %q ran in %s (it ran %s)", ref.Module, r.where(), strings.Join(names, ", "))
}

// where names the report for people.
func (r *Report) where() string {
	if r.saved() {
		return r.Path
	}
	return "this check"
}
