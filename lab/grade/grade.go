// Package grade grades submissions against an assignment: student folders
// or archives -> a sandboxed build and a VM run per student -> partial
// credit per task, written per student and for the class.
package grade

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/kernel/kinfo"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/submit"
)

// Options configure Run. Kernel is required; the rest of the zero value works.
type Options struct {
	Assignment *assign.Assignment // default assign.Default()
	Kernel     *kinfo.Kernel
	// Fallbacks are the assignment's fallback kernels, resolved: a task
	// that does not build on Kernel is graded on the first of them it
	// builds on (see assign.Assignment.FallbackKernels).
	Fallbacks []*kinfo.Kernel
	Out       string // default "grades"
	Jobs      int    // students graded at once; default 1
	// Shard and Shards split the class: this run grades the I-th of N
	// deterministic parts (1-based). Zero grades everyone.
	Shard, Shards int
	// Regrade grades every student again, even one whose result was
	// graded under this assignment, kernel and lkmlab.
	Regrade bool
	// Limits bound what a submission may hold; zero fields are
	// lab/submit's defaults.
	Limits submit.Limits
	// Subdir grades only that folder of every submission ("lab2").
	Subdir   string
	Logf     func(format string, args ...any)
	Progress io.Writer // one line per finished student, and warnings; nil is silent

	// Tasks grades a staged submission's tasks: lab/grader's builds and
	// VMs (grader.Run sets it). Tests
	// set it to grade without a VM.
	Tasks func(ctx context.Context, j TaskJob, o Options) error
}

// Result is one student's grade.
type Result struct {
	Student    string       `json:"student"`
	Source     string       `json:"source"`
	Assignment string       `json:"assignment"`
	Total      int          `json:"total"`
	Max        int          `json:"max"`
	Tasks      []TaskResult `json:"tasks"`
	Skipped    []string     `json:"skipped_files,omitempty"`
	// Picks says which file each task took and why (its name, its
	// folder's, or its code).
	Picks   []string `json:"picks,omitempty"`
	Problem string   `json:"problem,omitempty"`
	Seed    uint64   `json:"seed"`

	// What the grade depends on besides the submission; a rerun grades
	// again when any differs. AssignmentDigest covers the assignment and
	// every spec it loads; KernelBuildID is known for ELF images only.
	AssignmentDigest string `json:"assignment_digest"`
	Kernel           string `json:"kernel"`
	KernelRelease    string `json:"kernel_release,omitempty"`
	KernelBuildID    string `json:"kernel_build_id,omitempty"`
	LkmlabVersion    string `json:"lkmlab_version"`
	// Versions are everything the verdicts depend on, as the check
	// recorded them.
	Versions result.Versions `json:"versions"`

	Extras
}

// TaskResult is one task's grade.
type TaskResult struct {
	Name    string         `json:"name"`
	File    string         `json:"file,omitempty"`
	Verdict result.Verdict `json:"verdict"`
	Problem string         `json:"problem,omitempty"`
	Earned  assign.Points  `json:"earned"`
	Max     assign.Points  `json:"max"`
	Module  *result.Module `json:"module,omitempty"`
	// Kernel names the fallback kernel the task was graded on, when its
	// module did not build on the assignment's ("" for that one).
	Kernel string `json:"kernel,omitempty"`
}

// Run grades every submission of this shard in sorted order, -j at a
// time, keeping students whose result is current, then writes the class
// files from every result in Out. One grader works in Out at a time.
//
// When ctx is cancelled, a student being graded gets nothing written (a
// rerun grades them), no class file is written, and Run returns at once
// with an error that counts who was not graded.
func Run(ctx context.Context, subs []string, o Options) ([]*Result, error) {
	o = o.withDefaults()
	if o.Kernel == nil {
		return nil, errors.New("grade: no kernel given")
	}
	mine := Shard(subs, o.Shard, o.Shards)
	lock, err := lockOut(o.Out)
	if err != nil {
		return nil, fmt.Errorf("grade: %w", err)
	}
	defer lock.unlock()
	_ = os.RemoveAll(filepath.Join(o.Out, workDir)) // what a killed run left: no one else works here
	g := &grader{o: o, stamp: newStamp(o.Assignment, o.Kernel), labels: hostLabels(o.Out), names: submit.Names(subs)}
	t := g.sum(mine, g.gradeAll(ctx, mine))
	_ = os.Remove(filepath.Join(o.Out, workDir)) // empty by now: each student's work is removed
	if ctx.Err() != nil {
		return t.results, fmt.Errorf("grade: interrupted: %d of %d submission(s) not graded, class files not written; run the same command again to resume (graded students are kept): %w",
			t.notGraded+len(t.broken), len(mine), ctx.Err())
	}
	if err := writeClass(o.Out, o.Assignment, t.warnings); err != nil {
		return t.results, fmt.Errorf("grade: %w", err)
	}
	if len(t.broken) > 0 {
		return t.results, fmt.Errorf("grade: %d submission(s) not graded (rerun to retry them):\n  %s", len(t.broken), strings.Join(t.broken, "\n  "))
	}
	return t.results, nil
}

// runTotals sum up a run's outcomes.
type runTotals struct {
	results   []*Result // kept and graded
	broken    []string  // "name: error", for the harness's failures
	warnings  []string
	notGraded int // interrupted or never started
}

func (g *grader) sum(subs []string, ocs []outcome) runTotals {
	var t runTotals
	for i, oc := range ocs {
		t.warnings = append(t.warnings, oc.warnings...)
		switch {
		case oc.r != nil:
			t.results = append(t.results, oc.r)
		case oc.state == failed:
			t.broken = append(t.broken, fmt.Sprintf("%s: %s", g.names[subs[i]], oneLine(fmt.Sprint(oc.err))))
		default:
			t.notGraded++
		}
	}
	return t
}

// gradeAll grades subs with a pool of -j workers taking them from a queue
// in order, so -j 1 grades (and reports) in sorted order. Once ctx is
// cancelled, no student is started; those left have the zero outcome
// (not graded).
func (g *grader) gradeAll(ctx context.Context, subs []string) []outcome {
	ocs := make([]outcome, len(subs))
	p := newProgress(g.o.Progress, len(subs), g.o.Jobs)
	queue := make(chan int)
	go func() {
		defer close(queue)
		for i := range subs {
			select {
			case queue <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range min(g.o.Jobs, len(subs)) {
		wg.Go(func() {
			for i := range queue {
				if ctx.Err() != nil {
					continue // drain: the feeder stops soon
				}
				start := time.Now()
				ocs[i] = g.one(ctx, subs[i])
				p.done(g.names[subs[i]], ocs[i], time.Since(start))
			}
		})
	}
	wg.Wait()
	return ocs
}

func (o Options) withDefaults() Options {
	if o.Assignment == nil {
		o.Assignment = assign.Default()
	}
	if o.Out == "" {
		o.Out = "grades"
	}
	if abs, err := filepath.Abs(o.Out); err == nil {
		o.Out = abs // the builds under it run make -C KDIR
	}
	if o.Jobs <= 0 {
		o.Jobs = 1
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	if o.Tasks == nil {
		o.Tasks = func(context.Context, TaskJob, Options) error {
			return errors.New("grade: no task runner: call grader.Run, which builds and boots")
		}
	}
	return o
}

// Shard keeps the submissions of part shard (1-based) of shards, each
// path once, in the order of their student names (submit.Names: distinct
// for the class), so a CI matrix splits a class the same way every time.
func Shard(subs []string, shard, shards int) []string {
	names := submit.Names(subs)
	sorted := slices.Compact(slices.Sorted(slices.Values(subs)))
	sort.SliceStable(sorted, func(i, j int) bool { return names[sorted[i]] < names[sorted[j]] })
	if shards <= 1 {
		return sorted
	}
	var out []string
	for i, s := range sorted {
		if i%shards == shard-1 {
			out = append(out, s)
		}
	}
	return out
}

// TaskJob is one staged submission whose tasks are to be graded into R,
// in the work folder Work.
type TaskJob struct {
	Sub  *submit.Submission
	Work string
	R    *Result
}
