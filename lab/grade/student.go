package grade

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/initramfs"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/submit"
)

// resultFile marks a student as graded; it is written last, atomically.
const resultFile = "result.json"

// gradeOne grades one submission, or returns the result a previous run
// wrote. An error means the harness could not grade it (it is retried on
// the next run); everything a submission does wrong is in the result.
func gradeOne(ctx context.Context, src string, o Options) (*Result, error) {
	name := submit.Name(src)
	dir := filepath.Join(o.Out, name)
	if r, err := readResult(filepath.Join(dir, resultFile)); err == nil {
		return r, nil
	}
	work := filepath.Join(o.Out, ".work", name)
	if err := os.RemoveAll(work); err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	r := &Result{Student: name, Source: src, Assignment: o.Assignment.Name, Kernel: o.Kernel.Name}
	for _, t := range o.Assignment.Tasks {
		r.Max += t.Points.Total()
	}
	sub, err := submit.Stage(src, filepath.Join(work, "staged"), submit.Limits{})
	if err != nil {
		r.Problem = err.Error()
		r.Tasks = missingAll(o.Assignment, "the submission could not be read")
		return r, writeStudent(dir, r)
	}
	r.Skipped = sub.Skipped
	if err := gradeTasks(ctx, sub, work, r, o); err != nil {
		return nil, err
	}
	keepLogs(filepath.Join(work, "check"), filepath.Join(dir, "logs"))
	return r, writeStudent(dir, r)
}

// keepLogs copies each VM's console log and QEMU command line next to the
// report: the evidence behind a grade, and a way to rerun the VM by hand.
func keepLogs(from, to string) {
	for _, pat := range []string{"console-*.log", "qemu-*.cmdline"} {
		files, _ := filepath.Glob(filepath.Join(from, pat))
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil {
				_ = writeAtomic(filepath.Join(to, filepath.Base(f)), b)
			}
		}
	}
}

func gradeTasks(ctx context.Context, sub *submit.Submission, work string, r *Result, o Options) error {
	var targets []check.Target
	var picked []assign.Task
	files := map[string]string{}
	for _, t := range o.Assignment.Tasks {
		f := t.Pick(sub.Files)
		if f == "" {
			r.Tasks = append(r.Tasks, TaskResult{Name: t.Name, Verdict: result.Missing, Max: t.Points,
				Problem: "no file named " + strings.Join(t.Files, " or ")})
			continue
		}
		dir, err := taskDir(sub, f, t, filepath.Join(work, "tasks"))
		if err != nil {
			return err
		}
		files[t.Name] = f
		picked = append(picked, t)
		targets = append(targets, check.Target{Name: t.Name, Dir: dir, Spec: t.Loaded})
	}
	if len(targets) == 0 {
		return nil
	}
	rep, err := check.Run(ctx, targets, check.Options{Kernel: o.Kernel, Logf: o.Logf,
		WorkDir: filepath.Join(work, "check"), Sandbox: sandboxFor(o.Kernel), Precheck: paramCheck(picked), Isolate: true})
	if err != nil {
		return fmt.Errorf("grade %s: %w", sub.Name, err)
	}
	r.Seed = rep.Seed
	for i, t := range picked {
		m := rep.Modules[i]
		studentPaths(&m, filepath.Join(targets[i].Dir, t.Name+".c"), files[t.Name])
		tr := TaskResult{Name: t.Name, File: files[t.Name], Verdict: m.Verdict, Max: t.Points, Earned: score(t, m), Module: &m}
		if m.Verdict != result.Pass {
			tr.Problem = problem(m)
		}
		r.Tasks = append(r.Tasks, tr)
		r.Total += tr.Earned.Total()
	}
	slices.SortStableFunc(r.Tasks, func(a, b TaskResult) int { return taskIndex(o.Assignment, a.Name) - taskIndex(o.Assignment, b.Name) })
	return nil
}

// taskDir stages a task's module: the picked file under the task's name,
// the headers beside it, and a Kbuild the harness writes (a student's
// Makefile or Kbuild is make code: it never runs).
func taskDir(sub *submit.Submission, file string, t assign.Task, root string) (string, error) {
	dir := filepath.Join(root, t.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	copyOne := func(rel, as string) error {
		b, err := os.ReadFile(filepath.Join(sub.Dir, filepath.FromSlash(rel)))
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, as), b, 0o644)
	}
	if err := copyOne(file, t.Name+".c"); err != nil {
		return "", err
	}
	for _, f := range sub.Files {
		if path.Dir(f) == path.Dir(file) && strings.HasSuffix(f, ".h") {
			if err := copyOne(f, path.Base(f)); err != nil {
				return "", err
			}
		}
	}
	return dir, os.WriteFile(filepath.Join(dir, "Kbuild"), []byte("obj-m := "+t.Name+".o\n"), 0o644)
}

// paramCheck reads a built module's declared parameters (modinfo parm=)
// before any boot, so a misnamed parameter is reported as such.
func paramCheck(tasks []assign.Task) func(check.Target, string) error {
	want := map[string][]string{}
	for _, t := range tasks {
		want[t.Name] = t.Params
	}
	return func(t check.Target, ko string) error {
		parms, err := initramfs.ModInfo(ko, "parm")
		if err != nil {
			return err
		}
		var have []string
		for _, p := range parms {
			n, _, _ := strings.Cut(p, ":")
			have = append(have, n)
		}
		for _, p := range want[t.Name] {
			if !slices.Contains(have, p) {
				return fmt.Errorf("module has no parameter `%s` (it declares: %s)", p, orNone(have))
			}
		}
		return nil
	}
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func missingAll(a *assign.Assignment, why string) []TaskResult {
	var ts []TaskResult
	for _, t := range a.Tasks {
		ts = append(ts, TaskResult{Name: t.Name, Verdict: result.Missing, Max: t.Points, Problem: why})
	}
	return ts
}

func taskIndex(a *assign.Assignment, name string) int {
	for i, t := range a.Tasks {
		if t.Name == name {
			return i
		}
	}
	return len(a.Tasks)
}

func readResult(p string) (*Result, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, errors.Join(fmt.Errorf("read %s", p), err)
	}
	return &r, nil
}

// studentPaths names the student's own file where a report names the
// grader's copy of it (an oops located in the source, say).
func studentPaths(m *result.Module, copyPath, file string) {
	for si := range m.Steps {
		s := &m.Steps[si]
		s.Reason = strings.ReplaceAll(s.Reason, copyPath, file)
		for _, f := range s.Failures {
			f.Source = strings.ReplaceAll(f.Source, copyPath, file)
		}
	}
}
