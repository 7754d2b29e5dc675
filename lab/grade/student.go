package grade

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/submit"
)

// The files of a student's folder. resultFile marks the student as
// graded: it is written last, atomically.
const (
	resultFile = "result.json"
	prevFile   = "result.prev.json" // the result a regrade replaced
	reportFile = "report.md"
	logsDir    = "logs"
	workDir    = ".work" // in --out: a folder per student being graded
)

// StudentDir is the folder of a student's report, result and logs in an
// output folder. Students live under students/, apart from the class
// files, so no student name (a submission named grades.csv.zip, say) can
// collide with one.
func StudentDir(out, name string) string {
	return filepath.Join(out, "students", name)
}

// grader grades one class into one output folder.
type grader struct {
	o      Options
	stamp  stamp
	labels map[string]string // host folders and their labels, for the scrubber
	names  map[string]string // submission -> student, distinct (submit.Names)
}

// state is what became of a student in this run.
type state int

const (
	notStarted  state = iota // ctx was cancelled first
	kept                     // a current result from an earlier run
	graded                   // graded and written
	interrupted              // ctx was cancelled while grading: nothing written
	failed                   // the harness could not grade it: nothing written
)

type outcome struct {
	state    state
	r        *Result
	err      error
	why      string   // why a result from an earlier run was not kept
	warnings []string // for the progress and summary.json
}

// one grades a submission, or keeps the current result an earlier run
// wrote. Everything a submission does wrong is in its result; an
// outcome without one means the harness could not grade it or was
// interrupted, and a rerun grades it.
func (g *grader) one(ctx context.Context, src string) outcome {
	name := g.names[src]
	dir := StudentDir(g.o.Out, name)
	var oc outcome
	prev, prevJSON, err := readResult(filepath.Join(dir, resultFile), name)
	switch {
	case err == nil:
		oc.why = g.stamp.staleness(prev)
		if g.o.Regrade {
			oc.why = "--regrade"
		}
		if oc.why == "" {
			return outcome{state: kept, r: prev}
		}
	case !errors.Is(err, fs.ErrNotExist):
		oc.warnings = append(oc.warnings, fmt.Sprintf("%s: %v: graded again", name, err))
		prevJSON = nil
	}
	r, err := g.grade(ctx, src, name, prevJSON)
	switch {
	case err == nil:
		oc.state, oc.r = graded, r
	case ctx.Err() != nil:
		oc.state = interrupted
	default:
		oc.state, oc.err = failed, err
	}
	return oc
}

// grade grades a submission in a work folder of its own and writes the
// student's folder.
func (g *grader) grade(ctx context.Context, src, name string, prevJSON []byte) (*Result, error) {
	work := filepath.Join(g.o.Out, workDir, name)
	if err := os.RemoveAll(work); err != nil {
		return nil, fmt.Errorf("clear work folder: %w", err)
	}
	defer os.RemoveAll(work)
	r := &Result{Student: name, Source: src, Assignment: g.o.Assignment.Name}
	g.stamp.mark(r)
	for _, t := range g.o.Assignment.Tasks {
		r.Max += t.Points.Total()
	}
	sub, err := submit.StageWith(src, filepath.Join(work, "staged"), submit.Options{Limits: g.o.Limits, Subdir: g.o.Subdir})
	if err != nil {
		r.Problem = stageProblem(err)
		r.Tasks = missingAll(g.o.Assignment, "the submission could not be read")
	} else {
		r.Skipped = sub.Skipped
		if err := g.o.Tasks(ctx, TaskJob{Sub: sub, Work: work, R: r}, g.o); err != nil {
			return nil, err
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err() // what was graded may be a build that Ctrl-C killed: keep nothing
	}
	sc := g.scrubberFor(src, work)
	sc.value(r)
	dir := StudentDir(g.o.Out, name)
	keepLogs(filepath.Join(work, "check"), filepath.Join(dir, logsDir), sc)
	return r, writeStudent(dir, r, prevJSON)
}

// scrubberFor knows the host folders, the student's work folder and the
// folder their submission came from.
func (g *grader) scrubberFor(src, work string) scrubber {
	labels := map[string]string{work: "<work>"}
	for dir, l := range g.labels {
		labels[dir] = l
	}
	if abs, err := filepath.Abs(src); err == nil {
		labels[filepath.Dir(abs)] = "<submissions>"
	}
	return newScrubber(labels)
}

// keepLogs copies each VM's console log and QEMU command line next to the
// report, scrubbed of host folders: the evidence behind a grade, and a
// way to rerun the VM by hand (put the folders back for the labels).
func keepLogs(from, to string, sc scrubber) {
	_ = os.RemoveAll(to) // logs of an earlier grade would mix with these
	for _, pat := range []string{"console-*.log", "qemu-*.cmdline"} {
		files, _ := filepath.Glob(filepath.Join(from, pat))
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil {
				_ = writeAtomic(filepath.Join(to, filepath.Base(f)), []byte(sc.text(string(b))))
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

// readResult reads a student's result and its bytes. The error names the
// file relative to the student's folder (it goes into summary.json) and
// matches fs.ErrNotExist when there is none. A result that names another
// student is as unusable as one that does not parse.
func readResult(p, student string) (*Result, []byte, error) {
	b, err := os.ReadFile(p)
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, err
	case errors.As(err, &pe):
		return nil, nil, fmt.Errorf("read %s: %w", filepath.Base(p), pe.Err)
	case err != nil:
		return nil, nil, err
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", filepath.Base(p), err)
	}
	if r.Student != student {
		return nil, nil, fmt.Errorf("read %s: it is the result of %q", filepath.Base(p), r.Student)
	}
	return &r, b, nil
}

// limitFlags name the lkmlab grade flag that raises each submit limit.
var limitFlags = map[string]string{"MaxFiles": "--max-files", "MaxFileBytes": "--max-file-bytes",
	"MaxTotalBytes": "--max-total-bytes", "MaxEntries": "--max-entries", "MaxReadBytes": "--max-read-bytes"}

// stageProblem explains a submission that could not be staged, with the
// flag that raises a limit it broke.
func stageProblem(err error) string {
	var le *submit.LimitError
	if errors.As(err, &le) {
		if f, ok := limitFlags[le.Limit]; ok {
			return fmt.Sprintf("%v (a grader can raise the limit with %s)", err, f)
		}
	}
	return err.Error()
}
