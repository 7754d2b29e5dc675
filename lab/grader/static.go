package grader

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/kbuild"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/static"
	"github.com/lkmlab/lkmlab/lab/submit"
)

// staticJob is what the static items of one student's tasks need.
type staticJob struct {
	sub   *submit.Submission
	work  string
	k     *kernel.Kernel
	sb    *kbuild.Sandbox
	names map[string]string // build copy -> the student's names
	a     *assign.Assignment
}

// needsStatic reports whether any task scores warnings or style.
func needsStatic(a *assign.Assignment) (warnings, style bool) {
	for _, t := range a.Tasks {
		warnings = warnings || t.Points.Warnings > 0
		style = style || t.Points.Style > 0
	}
	return warnings, style
}

// items finds a task's compiler warnings (a W=1 build of its folder, in
// the sandbox) and style complaints (checkpatch on the student's file),
// as far as the task scores them.
func (j staticJob) items(ctx context.Context, t assign.Task, dir, file string) ([]static.Item, error) {
	var items []static.Item
	if t.Points.Warnings > 0 {
		ds, err := kbuild.Warnings(ctx, dir, j.k.BuildDir, kbuild.Options{WorkDir: filepath.Join(j.work, "static"),
			Sandbox: j.sb, Names: j.names})
		if err != nil && ds == nil {
			return nil, fmt.Errorf("warnings of %s: %w", t.Name, err)
		}
		items = append(items, static.Warnings(ds)...)
	}
	if t.Points.Style > 0 {
		script, err := static.FindCheckpatch(kernel.DefaultCacheDir())
		if err != nil {
			return nil, err
		}
		text, err := j.sub.Read(file)
		if err != nil {
			return nil, fmt.Errorf("style of %s: %w", t.Name, err)
		}
		style, err := static.Checkpatch{Script: script, Ignore: j.a.Static.StyleIgnore}.Style(ctx, file, text)
		if err != nil {
			return nil, err
		}
		items = append(items, style...)
	}
	return items, nil
}

// taskResult grades a task from the module it is graded by (the first run's, or the last rerun's when the reruns forgave it),
// its folder and the student's file: the run's parts, then the static
// ones.
func (j staticJob) taskResult(ctx context.Context, g ranTask, x *grade.Extras) (grade.TaskResult, error) {
	t, m, dir, file := g.task, g.module, g.dir, g.file
	studentPaths(&m, filepath.Join(dir, t.Name+".c"), file)
	tr := grade.TaskResult{Name: t.Name, File: file, Verdict: m.Verdict, Max: t.Points, Earned: grade.Score(t, m), Module: &m}
	if m.Verdict != result.Pass {
		tr.Problem = grade.Problem(m)
	}
	if t.Points.Warnings+t.Points.Style > 0 && m.Verdict != result.BuildError {
		items, err := j.items(ctx, t, dir, file)
		if err != nil {
			return tr, err
		}
		j.score(&tr, t, items, x)
	}
	return tr, nil
}

// ranTask is a task as its run left it: the module it is graded by, the
// folder it was built in and the student's file.
type ranTask struct {
	task      assign.Task
	module    result.Module
	dir, file string
}

// score adds the warnings and style parts to a task's grade and records
// its items. A module that did not build, or that the grader cannot
// trust, earns neither.
func (j staticJob) score(tr *grade.TaskResult, t assign.Task, items []static.Item, x *grade.Extras) {
	a := j.a
	var warnings, style int
	for _, it := range items {
		if x.Static == nil {
			x.Static = map[string][]grade.Static{}
		}
		x.Static[t.Name] = append(x.Static[t.Name], grade.Static{Kind: it.Kind, File: it.File, Line: it.Line, Rule: it.Rule, Text: it.Text})
		if it.Kind == static.Warning {
			warnings++
		} else {
			style++
		}
	}
	if tr.Verdict == result.BuildError || tr.Verdict == result.Integrity {
		return
	}
	tr.Earned.Warnings = static.Points(t.Points.Warnings, a.Static.WarningCost, warnings)
	tr.Earned.Style = static.Points(t.Points.Style, a.Static.StyleCost, style)
}
