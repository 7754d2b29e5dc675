package grade

import (
	"context"
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
		for _, p := range t.Params {
			want[t.Name] = append(want[t.Name], p.Names[0])
		}
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

func taskIndex(a *assign.Assignment, name string) int {
	for i, t := range a.Tasks {
		if t.Name == name {
			return i
		}
	}
	return len(a.Tasks)
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
