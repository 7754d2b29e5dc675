package tests

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/grader"
)

// corpusPoints is what each hostile submission deserves on the corpus
// assignment: hello is worth 5 (build 1, load 1, output 2, unload 1), size
// 8 (build 1, load 1, output 2, truth 3, unload 1).
var corpusPoints = map[string]struct {
	hello, size int
	problem     string // in the hello or size problem, when it lost points
}{
	"perfect":            {5, 8, ""},
	"seed-layout":        {5, 8, ""},
	"zip-escape":         {5, 8, ""},
	"malicious-makefile": {5, 8, ""},
	"compile-error":      {0, 8, "error:"},
	"host-include":       {0, 8, "/etc/shadow"},
	"oops-init":          {1, 8, "NULL pointer dereference"},
	"panic":              {1, 8, "student panic"},
	"loop-init":          {1, 8, "did not return"},
	"loop-exit":          {2, 8, "did not return"},
	"no-exit":            {2, 8, "EBUSY"},
	"flood":              {3, 8, "output differs"},
	"forged-records":     {3, 8, "output differs"},
	"hardcoded":          {5, 5, "truth: near(rss, z.vmrss_kb, 64) does not hold"},
	"one-task-wrong":     {5, 5, "truth: near(vm, z.vmsize_kb, 64) does not hold"},
	"wrong-param":        {5, 1, "module has no parameter for the pid"},
}

func corpus(t *testing.T) (*assign.Assignment, []string) {
	t.Helper()
	a, err := assign.Load("testdata/submissions/assignment.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var subs []string
	for name := range corpusPoints {
		p := filepath.Join("testdata/submissions", name)
		if _, err := os.Stat(p + ".zip"); err == nil {
			p += ".zip"
		}
		subs = append(subs, p)
	}
	sort.Strings(subs)
	return a, subs
}

// TestGradeHostileCorpus grades every hostile submission in one run and
// checks each gets the points it deserves, and that nothing a submission
// did reached the host.
func TestGradeHostileCorpus(t *testing.T) {
	k := needVM(t)
	a, subs := corpus(t)
	for _, f := range []string{"/tmp/lkmlab-pwned-makefile", "/tmp/lkmlab-pwned-kbuild", "/tmp/lkmlab-abs-by-zip.c"} {
		os.Remove(f)
	}
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	var progress strings.Builder
	rs, err := grader.Run(ctx, subs, grade.Options{Assignment: a, Kernel: k, Out: out, Jobs: 2, Progress: &progress})
	t.Logf("progress:\n%s", progress.String())
	if err != nil {
		t.Fatalf("grade.Run: %v", err)
	}
	if len(rs) != len(corpusPoints) {
		t.Fatalf("%d results, want %d", len(rs), len(corpusPoints))
	}
	for _, r := range rs {
		t.Run(r.Student, func(t *testing.T) { assertCorpus(t, r) })
	}
	for _, f := range []string{"/tmp/lkmlab-pwned-makefile", "/tmp/lkmlab-pwned-kbuild", "/tmp/lkmlab-abs-by-zip.c",
		filepath.Join(filepath.Dir(out), "escaped-by-zip.c"), "testdata/escaped-by-zip.c"} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s exists: a submission reached the host", f)
		}
	}
	if logs, _ := filepath.Glob(filepath.Join(grade.StudentDir(out, "panic"), "logs", "console-*.log")); len(logs) < 2 {
		t.Errorf("panic: %d console logs kept, want one per VM (the panic needs a second)", len(logs))
	}
	csv, err := os.ReadFile(filepath.Join(out, "grades.csv"))
	if err != nil || strings.Count(string(csv), "\n") != len(corpusPoints)+1 || !strings.Contains(string(csv), "perfect,5,8,13,13") {
		t.Errorf("grades.csv (%v):\n%s", err, csv)
	}
}

func assertCorpus(t *testing.T, r *grade.Result) {
	want, ok := corpusPoints[r.Student]
	if !ok {
		t.Fatalf("unexpected student %q", r.Student)
	}
	got := map[string]grade.TaskResult{}
	for _, tr := range r.Tasks {
		got[tr.Name] = tr
	}
	h, s := got["hello"], got["size"]
	if h.Earned.Total() != want.hello || s.Earned.Total() != want.size {
		t.Errorf("hello %d (%s: %s), size %d (%s: %s); want %d and %d\n%s",
			h.Earned.Total(), h.Verdict, h.Problem, s.Earned.Total(), s.Verdict, s.Problem, want.hello, want.size, stepDetails(r))
	}
	if r.Student == "oops-init" {
		at := fmt.Sprintf("at hello.c:%d (hello_init)", lineOf(t, "testdata/submissions/oops-init/hello.c", "return *p;"))
		mustContain(t, allTaskReasons(r), at)
	}
	if want.problem != "" {
		if !strings.Contains(h.Problem+"\n"+s.Problem+"\n"+allTaskReasons(r), want.problem) {
			t.Errorf("no %q in the problems: hello %q, size %q", want.problem, h.Problem, s.Problem)
		}
	}
}

func allTaskReasons(r *grade.Result) string {
	var b strings.Builder
	for _, tr := range r.Tasks {
		if tr.Module == nil {
			continue
		}
		b.WriteString(tr.Module.Error + "\n")
		for _, s := range tr.Module.Steps {
			b.WriteString(s.Reason + "\n")
		}
	}
	return b.String()
}

// stepDetails shows every step that did not pass, with its diff and log,
// for a failure message.
func stepDetails(r *grade.Result) string {
	var b strings.Builder
	for _, tr := range r.Tasks {
		if tr.Module == nil {
			continue
		}
		for _, s := range tr.Module.Steps {
			if s.Verdict != "pass" {
				fmt.Fprintf(&b, "%s: %s %q\n  diff %q\n  log %q\n", s.Name, s.Verdict, s.Reason, s.Diff, s.Log)
			}
		}
	}
	return b.String()
}
