package replay

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/grader"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/submit"
)

// Options configure Run. Kernel is required; the rest of the zero value
// works.
type Options struct {
	// Kernel is the report's kernel, resolved.
	Kernel *kernel.Kernel
	// Modules is the folder of a check's modules; default "modules".
	Modules string
	// Submission is a grade's submission (a folder or an archive);
	// default the result's source, when it is a path on this machine.
	// Subdir and Assignment are the grade's (default the seed assignment).
	Submission string
	Subdir     string
	Assignment *assign.Assignment
	Logf       func(format string, args ...any)
	// Console receives each guest console line.
	Console func(line string)
}

// Run reruns the report's run as it was made, and returns the step ref
// names as it is now beside the report's.
func Run(ctx context.Context, rep *Report, ref Ref, o Options) (*Outcome, error) {
	if o.Kernel == nil {
		return nil, errors.New("replay: no kernel given")
	}
	ref, was, err := rep.Find(ref)
	if err != nil {
		return nil, err
	}
	out := &Outcome{Ref: ref, Was: was, Report: rep, Kernel: o.Kernel}
	var mods []result.Module
	if rep.Grade {
		mods, out.Seed, out.Ran, err = runGrade(ctx, rep, ref, o)
	} else {
		out.Seed, out.Ran = rep.Seed, moduleNames(rep)
		mods, err = runCheck(ctx, rep, o)
	}
	if err != nil {
		return nil, err
	}
	for _, m := range mods {
		if m.Name == ref.Module && ref.Index < 0 {
			ref.Index = firstFailed(m)
			out.Ref = ref
		}
		if m.Name == ref.Module && ref.Index < len(m.Steps) {
			out.Now = m.Steps[ref.Index]
			out.compare()
			return out, nil
		}
	}
	return nil, fmt.Errorf("replay: %s did not run its step %d this time (a build error?)", ref.Module, ref.Index+1)
}

// firstFailed is the first step of m that did not pass, else its first.
func firstFailed(m result.Module) int {
	for i, s := range m.Steps {
		if s.Verdict != result.Pass && s.Verdict != result.Skipped {
			return i
		}
	}
	return 0
}

func moduleNames(rep *Report) []string {
	var names []string
	for _, m := range rep.Modules {
		names = append(names, m.Name)
	}
	return names
}

// runCheck checks the report's modules, in its order, with its seed.
func runCheck(ctx context.Context, rep *Report, o Options) ([]result.Module, error) {
	dir := o.Modules
	if dir == "" {
		dir = "modules"
	}
	args := rep.Args
	if len(args) == 0 {
		args = moduleNames(rep)
	}
	targets, err := check.LoadAll(dir, args)
	if err != nil {
		return nil, fmt.Errorf("replay: %w (give the folder the report's modules are in with --modules)", err)
	}
	r, err := check.Run(ctx, targets, check.Options{Kernel: o.Kernel, Seed: rep.Seed, Logf: o.Logf, Console: o.Console})
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	return r.Modules, nil
}

// runGrade grades the submission again as the grader did the run the
// result kept for ref's task: every task with the result's seed, or, when
// the flake guard kept a rerun, the task alone with that rerun's seed.
// The guard itself does not run: one run is what is replayed.
func runGrade(ctx context.Context, rep *Report, ref Ref, o Options) ([]result.Module, uint64, []string, error) {
	src, err := submission(rep, o.Submission)
	if err != nil {
		return nil, 0, nil, err
	}
	if o.Assignment == nil {
		o.Assignment = assign.Default()
	}
	a := *o.Assignment
	if rep.Assignment != "" && a.Name != rep.Assignment {
		return nil, 0, nil, fmt.Errorf("replay: %s was graded under assignment %q, not %q: give its file with --assignment", rep.Path, rep.Assignment, a.Name)
	}
	a.Reruns = 0
	seed := rep.Seed
	if ru, ok := rep.Runs[ref.Module]; ok && ru.Kept > 0 && ru.Kept < len(ru.Seeds) {
		seed = ru.Seeds[ru.Kept]
		a.Tasks = onlyTask(a.Tasks, ref.Module)
	}
	work, err := os.MkdirTemp("", "lkmlab-replay-")
	if err != nil {
		return nil, 0, nil, fmt.Errorf("replay: %w", err)
	}
	defer os.RemoveAll(work)
	sub, err := submit.StageWith(src, filepath.Join(work, "staged"), submit.Options{Subdir: o.Subdir})
	if err != nil {
		return nil, 0, nil, fmt.Errorf("replay: stage %s: %w", src, err)
	}
	r := &grade.Result{Student: rep.Student, Source: src, Assignment: a.Name}
	job := grade.TaskJob{Sub: sub, Work: work, R: r}
	if err := grader.Tasks(check.WithSeed(ctx, seed), job, grade.Options{Assignment: &a, Kernel: o.Kernel, Logf: o.Logf}); err != nil {
		return nil, 0, nil, fmt.Errorf("replay: %w", err)
	}
	var mods []result.Module
	var ran []string
	for _, t := range r.Tasks {
		if t.Module != nil {
			m := *t.Module
			m.Name = t.Name
			mods, ran = append(mods, m), append(ran, t.Name)
		}
	}
	return mods, seed, ran, nil
}

func onlyTask(ts []assign.Task, name string) []assign.Task {
	for _, t := range ts {
		if t.Name == name {
			return []assign.Task{t}
		}
	}
	return ts
}

// submission is where the graded submission is: the one given, else the
// result's source when this machine has it. A result names its source
// with the grader's folders scrubbed ("<submissions>/alice.zip").
func submission(rep *Report, given string) (string, error) {
	if given != "" {
		return given, nil
	}
	if _, err := os.Stat(rep.Source); err == nil && !strings.HasPrefix(rep.Source, "<") {
		return rep.Source, nil
	}
	return "", fmt.Errorf("replay: %s was graded from %q: give that submission (folder or archive) with --submission", rep.Path, rep.Source)
}
