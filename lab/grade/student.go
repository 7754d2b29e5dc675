package grade

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lkmlab/lkmlab/lab/assign"
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

func missingAll(a *assign.Assignment, why string) []TaskResult {
	var ts []TaskResult
	for _, t := range a.Tasks {
		ts = append(ts, TaskResult{Name: t.Name, Verdict: result.Missing, Max: t.Points, Problem: why})
	}
	return ts
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
