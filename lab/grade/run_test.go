package grade

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/spec"
	"github.com/lkmlab/lkmlab/lab/submit"
)

// These tests run the grader with a stand-in for gradeTasks: no build and
// no VM, so what they check is the grader's own work (order, state in
// --out, cancellation, locking, staleness).

func testAssignment(output string) *assign.Assignment {
	return &assign.Assignment{Name: "t", Tasks: []assign.Task{{
		Name: "hello", Files: []string{"hello.c"}, Spec: "hello.yaml",
		Points: assign.Points{Build: 1, Load: 1, Output: 2},
		Loaded: &spec.Spec{Steps: []spec.Step{{Action: "insmod", Output: []string{output}}, {Action: "rmmod"}}},
	}}}
}

var testKernel = &kernel.Kernel{Name: "fake", Release: "1.0-test"}

// fakeTasks grades a task in full when its file is there, and records
// who it graded, in order.
type fakeTasks struct {
	mu     sync.Mutex
	graded []string
	// during, when set, runs inside the grading of a student.
	during func(ctx context.Context, sub *submit.Submission, r *Result)
}

func (f *fakeTasks) run(ctx context.Context, j TaskJob, o Options) error {
	sub, r := j.Sub, j.R
	f.mu.Lock()
	f.graded = append(f.graded, sub.Name)
	f.mu.Unlock()
	for _, t := range o.Assignment.Tasks {
		if t.Pick(sub.Files) == "" {
			r.Tasks = append(r.Tasks, TaskResult{Name: t.Name, Verdict: result.Missing, Max: t.Points})
			continue
		}
		m := &result.Module{Name: t.Name, Verdict: result.Pass}
		r.Tasks = append(r.Tasks, TaskResult{Name: t.Name, File: t.Pick(sub.Files), Verdict: result.Pass, Earned: t.Points, Max: t.Points, Module: m})
		r.Total += t.Points.Total()
	}
	if f.during != nil {
		f.during(ctx, sub, r)
	}
	return nil
}

func (f *fakeTasks) names() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.graded...)
}

// class makes a folder per student with a hello.c.
func class(t *testing.T, names ...string) []string {
	t.Helper()
	root := t.TempDir()
	var subs []string
	for _, n := range names {
		dir := filepath.Join(root, n)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "hello.c"), []byte("int x;\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		subs = append(subs, dir)
	}
	return subs
}

func options(out string, a *assign.Assignment, f *fakeTasks, progress *strings.Builder) Options {
	o := Options{Assignment: a, Kernel: testKernel, Out: out, Jobs: 1, Tasks: f.run}
	if progress != nil {
		o.Progress = progress
	}
	return o
}

func TestRunOneJobGradesInSortedOrder(t *testing.T) {
	subs := class(t, "mallory", "alice", "dave", "carol", "bob", "erin")
	var f fakeTasks
	var progress strings.Builder
	if _, err := Run(context.Background(), subs, options(t.TempDir(), testAssignment("hi"), &f, &progress)); err != nil {
		t.Fatal(err)
	}
	want := []string{"alice", "bob", "carol", "dave", "erin", "mallory"}
	if got := f.names(); !slices.Equal(got, want) {
		t.Fatalf("graded in order %v, want %v", got, want)
	}
	var printed []string
	for _, l := range strings.Split(strings.TrimSpace(progress.String()), "\n") {
		printed = append(printed, strings.Fields(l)[1])
	}
	if !slices.Equal(printed, want) {
		t.Fatalf("progress lines in order %v, want %v:\n%s", printed, want, progress.String())
	}
}

// TestRunCancelledWritesNothing: Ctrl-C while a student's build runs
// makes make fail; that failure must not be saved as the student's grade.
func TestRunCancelledWritesNothing(t *testing.T) {
	subs := class(t, "alice", "bob", "carol")
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := fakeTasks{during: func(_ context.Context, sub *submit.Submission, r *Result) {
		if sub.Name == "bob" {
			cancel() // as Ctrl-C would, during the build
			r.Tasks[0] = TaskResult{Name: "hello", Verdict: result.BuildError, Problem: "build-error: make: context canceled"}
			r.Total = 0
		}
	}}
	var progress strings.Builder
	_, err := Run(ctx, subs, options(out, testAssignment("hi"), &f, &progress))
	if err == nil || !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "2 of 3 submission(s) not graded") ||
		!strings.Contains(err.Error(), "again to resume") {
		t.Fatalf("Run after Ctrl-C: %v", err)
	}
	for _, p := range []string{StudentDir(out, "bob"), StudentDir(out, "carol"), filepath.Join(out, "grades.csv")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s written after the run was interrupted", p)
		}
	}
	if _, err := os.Stat(filepath.Join(StudentDir(out, "alice"), resultFile)); err != nil {
		t.Errorf("alice, graded before the interruption, was not kept: %v", err)
	}
	if !strings.Contains(progress.String(), "bob") || !strings.Contains(progress.String(), "interrupted") {
		t.Errorf("progress does not say bob was interrupted:\n%s", progress.String())
	}

	f = fakeTasks{}
	rs, err := Run(context.Background(), subs, options(out, testAssignment("hi"), &f, &progress))
	if err != nil || len(rs) != 3 || !slices.Equal(f.names(), []string{"bob", "carol"}) {
		t.Fatalf("rerun: %v, %d results, graded %v; want bob and carol graded", err, len(rs), f.names())
	}
	for _, r := range rs {
		if r.Total != 4 {
			t.Errorf("%s: %d points after the rerun, want 4", r.Student, r.Total)
		}
	}
}

func TestRunRegradesCorruptResult(t *testing.T) {
	subs := class(t, "alice", "bob")
	out := t.TempDir()
	var f fakeTasks
	if _, err := Run(context.Background(), subs, options(out, testAssignment("hi"), &f, nil)); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(StudentDir(out, "alice"), resultFile)
	if err := os.WriteFile(bad, []byte("{\"student\": \"alice\", tru"), 0o644); err != nil {
		t.Fatal(err)
	}
	f = fakeTasks{}
	var progress strings.Builder
	rs, err := Run(context.Background(), subs, options(out, testAssignment("hi"), &f, &progress))
	if err != nil || len(rs) != 2 || !slices.Equal(f.names(), []string{"alice"}) {
		t.Fatalf("rerun over a corrupt result: %v, %d results, graded %v", err, len(rs), f.names())
	}
	if !strings.Contains(progress.String(), "warning: alice: read result.json: invalid character") {
		t.Errorf("no warning on the progress:\n%s", progress.String())
	}
	var sum classSummary
	b, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if err := json.Unmarshal(b, &sum); err != nil || len(sum.Warnings) != 1 || !strings.Contains(sum.Warnings[0], "alice") {
		t.Errorf("summary.json warnings %q (%v)", sum.Warnings, err)
	}
	if strings.Contains(string(b), out) {
		t.Errorf("summary.json names the output folder:\n%s", b)
	}
}

func TestResultsSkipUnreadable(t *testing.T) {
	out := t.TempDir()
	fakeResult(t, out, "alice", 3)
	fakeResult(t, out, "bob", 2)
	if err := os.WriteFile(filepath.Join(StudentDir(out, "bob"), resultFile), []byte("\x00garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	fakeResult(t, out, "carol", 1)
	if err := os.Rename(StudentDir(out, "carol"), StudentDir(out, "mallory")); err != nil {
		t.Fatal(err)
	}
	rs, warnings, err := Results(out)
	if err != nil || len(rs) != 1 || rs[0].Student != "alice" {
		t.Fatalf("Results: %v, %d results", err, len(rs))
	}
	if len(warnings) != 2 || !strings.Contains(warnings[0], "bob") || !strings.Contains(warnings[1], `it is the result of "carol"`) {
		t.Fatalf("warnings %q", warnings)
	}
	if err := WriteClass(out, testAssignment("hi")); err != nil {
		t.Fatalf("class files over an unreadable result: %v", err)
	}
}

func TestRunStaleResults(t *testing.T) {
	subs := class(t, "alice")
	out := t.TempDir()
	var f fakeTasks
	if _, err := Run(context.Background(), subs, options(out, testAssignment("hi"), &f, nil)); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(filepath.Join(StudentDir(out, "alice"), resultFile))
	otherKernel := *testKernel
	otherKernel.Release = "2.0-test"
	builtA, builtB := otherKernel, otherKernel
	builtA.BuildID, builtB.BuildID = "aa", "bb"
	tests := []struct {
		name    string
		a       *assign.Assignment
		k       *kernel.Kernel
		regrade bool
		why     string // "" means kept
	}{
		{"same assignment and kernel", testAssignment("hi"), testKernel, false, ""},
		{"a spec's output changed", testAssignment("hello"), testKernel, false, "regraded: the assignment or one of its specs changed"},
		{"the kernel changed", testAssignment("hello"), &otherKernel, false, "regraded: the kernel changed (was fake 1.0-test, now fake 2.0-test)"},
		{"nothing changed", testAssignment("hello"), &otherKernel, false, ""},
		{"--regrade", testAssignment("hello"), &builtA, true, "regraded: --regrade"},
		{"the kernel was rebuilt", testAssignment("hello"), &builtB, false, "regraded: the kernel was rebuilt"},
		{"a kernel whose build-id is unknown", testAssignment("hello"), &otherKernel, false, ""},
	}
	for _, tc := range tests {
		f := fakeTasks{}
		var progress strings.Builder
		o := options(out, tc.a, &f, &progress)
		o.Kernel, o.Regrade = tc.k, tc.regrade
		if _, err := Run(context.Background(), subs, o); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if regraded := len(f.names()) == 1; regraded != (tc.why != "") {
			t.Errorf("%s: graded again %v, want %v:\n%s", tc.name, regraded, tc.why != "", progress.String())
		}
		if !strings.Contains(progress.String(), tc.why) || tc.why == "" && !strings.Contains(progress.String(), "graded earlier") {
			t.Errorf("%s: progress does not say %q:\n%s", tc.name, tc.why, progress.String())
		}
	}
	prev, _ := os.ReadFile(filepath.Join(StudentDir(out, "alice"), prevFile))
	if len(prev) == 0 || string(prev) == string(first) {
		t.Errorf("result.prev.json is not the result the last regrade replaced:\n%s", prev)
	}
}

func TestLockOneGraderPerOut(t *testing.T) {
	out := t.TempDir()
	held, err := lockOut(out)
	if err != nil {
		t.Fatal(err)
	}
	var f fakeTasks
	_, err = Run(context.Background(), class(t, "alice"), options(out, testAssignment("hi"), &f, nil))
	if err == nil || !strings.Contains(err.Error(), "pid "+itoa(os.Getpid())) || !strings.Contains(err.Error(), "another --out") {
		t.Fatalf("second grader on one --out: %v", err)
	}
	if len(f.names()) != 0 {
		t.Fatalf("the second grader graded %v", f.names())
	}
	if err := Merge(out, testAssignment("hi"), t.TempDir()); err == nil || !strings.Contains(err.Error(), "another lkmlab grade or merge") {
		t.Fatalf("merge into a folder being graded: %v", err)
	}
	held.unlock()
	if _, err := Run(context.Background(), class(t, "alice"), options(out, testAssignment("hi"), &f, nil)); err != nil {
		t.Fatalf("after the first grader ended: %v", err)
	}
}

// TestStudentsCannotCollideWithClassFiles: submissions named like the
// class files (grades.csv.zip is "grades.csv") have folders of their own.
func TestStudentsCannotCollideWithClassFiles(t *testing.T) {
	subs := class(t, "grades.csv", "summary.json", "junit.xml", ".work", ".lkmlab-grade.lock")
	out := t.TempDir()
	var f fakeTasks
	rs, err := Run(context.Background(), subs, options(out, testAssignment("hi"), &f, nil))
	if err != nil || len(rs) != len(subs) {
		t.Fatalf("Run: %v, %d results", err, len(rs))
	}
	csv, _ := os.ReadFile(filepath.Join(out, "grades.csv"))
	if !strings.Contains(string(csv), "grades.csv,4,4,4") || strings.Count(string(csv), "\n") != len(subs)+1 {
		t.Fatalf("grades.csv:\n%s", csv)
	}
}

func TestRunPassesLimits(t *testing.T) {
	subs := class(t, "alice")
	var f fakeTasks
	o := options(t.TempDir(), testAssignment("hi"), &f, nil)
	o.Limits = submit.Limits{MaxFileBytes: 3} // hello.c has 7 bytes
	rs, err := Run(context.Background(), subs, o)
	if err != nil || len(rs) != 1 {
		t.Fatalf("Run: %v", err)
	}
	if rs[0].Total != 0 {
		t.Fatalf("hello.c over --max-file-bytes was graded: %+v", rs[0])
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// TestRunGradesTwoSubmissionsOfOneName: alice/ and alice.zip are two
// students to the grader (submit.Names), with a folder each; the same path
// given twice is graded once.
func TestRunGradesTwoSubmissionsOfOneName(t *testing.T) {
	subs := class(t, "alice")
	zip := filepath.Join(t.TempDir(), "alice.zip")
	if err := os.WriteFile(zip, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var f fakeTasks
	rs, err := Run(context.Background(), append(subs, zip, subs[0]), options(t.TempDir(), testAssignment("hi"), &f, nil))
	if err != nil || len(rs) != 2 || rs[0].Student == rs[1].Student {
		t.Fatalf("alice/ and alice.zip: %v, %d results", err, len(rs))
	}
	if len(f.names()) != 1 {
		t.Fatalf("graded %v, want alice/ once (the empty zip does not stage)", f.names())
	}
}

func TestResultsWarnAboutTheOldLayout(t *testing.T) {
	out := t.TempDir()
	if err := os.MkdirAll(filepath.Join(out, "alice"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "alice", resultFile), []byte(`{"student":"alice"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	rs, warnings, err := Results(out)
	if err != nil || len(rs) != 0 || len(warnings) != 1 || !strings.Contains(warnings[0], "old layout") {
		t.Fatalf("Results of an old folder: %v, %d results, warnings %q", err, len(rs), warnings)
	}
}

func TestRunClearsWorkOfAKilledRun(t *testing.T) {
	out := t.TempDir()
	left := filepath.Join(out, workDir, "ghost", "staged")
	if err := os.MkdirAll(left, 0o755); err != nil {
		t.Fatal(err)
	}
	var f fakeTasks
	if _, err := Run(context.Background(), class(t, "alice"), options(out, testAssignment("hi"), &f, nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, workDir)); err == nil {
		t.Fatalf("%s left behind", workDir)
	}
}
