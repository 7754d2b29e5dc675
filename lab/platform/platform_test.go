package platform

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The secrets planted in the hand-made result: each must reach only the
// audience its visibility allows.
const (
	secretStep  = "SECRET-OF-A-HIDDEN-STEP" // size's "kernel thread" probe: hidden
	secretLater = "SECRET-OF-A-LATER-STEP"  // size's "no such pid" probe: after the due date
	secretHello = "SECRET-OF-A-LATER-TASK"  // hello: after the due date
	secretTask  = "SECRET-OF-A-HIDDEN-TASK" // secret: hidden
	hostileText = "\x1b[31mred\x1b[0m\r\n::add-mask::x </testcase><script>\x07"
)

func loadVis(t *testing.T) *assign.Assignment {
	t.Helper()
	a, err := assign.Load("testdata/visibility.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// stepsFor makes a passing step per step of the task's spec, named as
// lab/check names them.
func stepsFor(task assign.Task) []result.Step {
	var ss []result.Step
	for _, st := range task.Loaded.Steps {
		name := st.Action + " " + task.Name
		if st.Name != "" {
			name += " (" + st.Name + ")"
		}
		ss = append(ss, result.Step{Name: name, Verdict: result.Pass, Status: "ok", OutputOK: true, TruthOK: true, Clean: true, MS: 10})
	}
	return ss
}

func stepNamed(ss []result.Step, suffix string) *result.Step {
	for i := range ss {
		if strings.HasSuffix(ss[i].Name, suffix) {
			return &ss[i]
		}
	}
	panic("no step " + suffix)
}

// handMadeResult is a grade.Result written by hand for these tests (no VM
// produced it): size loses truth in its visible workload step and robust
// in its hidden "kernel thread" probe, hello (shown after the due date)
// fails in a way only it says, and the hidden task crashes.
func handMadeResult(a *assign.Assignment) *grade.Result {
	r := &grade.Result{Student: "ana", Assignment: a.Name, Kernel: "debian-6.1", LkmlabVersion: "devel", Seed: 7,
		Picks: []string{"picked lab/size.c for size: its name matches size.c", "picked lab/x.c for secret: its name matches x.c"}}
	for _, task := range a.Tasks {
		ss := stepsFor(task)
		tr := grade.TaskResult{Name: task.Name, File: task.Name + ".c", Verdict: result.Pass, Max: task.Points, Earned: task.Points}
		switch task.Name {
		case "size":
			w := stepNamed(ss, "(workload)")
			w.Verdict, w.Cause, w.TruthOK = result.Fail, result.Untrue, false
			w.Reason = "truth: near(rss, z.vmrss_kb, 64) does not hold"
			w.Log = []string{"size: rss 12 KB", hostileText}
			k := stepNamed(ss, "(kernel thread)")
			k.Verdict, k.Cause, k.Reason, k.Log = result.Crash, result.KernelFailure, "oops "+secretStep, []string{secretStep}
			n := stepNamed(ss, "(no such pid)")
			n.Findings = []result.Finding{{Kind: result.Taint, Text: secretLater}}
			p := stepNamed(ss, "(pid 0)")
			p.Verdict, p.Reason = result.Fail, "wrong errno, after insmod size (kernel thread) ran"
			tr.Verdict, tr.Earned.Truth, tr.Earned.Robust = result.Crash, 0, 0
		case "hello":
			ss[0].Verdict, ss[0].Reason, ss[0].Diff = result.Fail, "output differs", []string{"-Hello", "+" + secretHello}
			tr.Verdict, tr.Earned.Output = result.Fail, 0
		case "secret":
			ss[0].Verdict, ss[0].Reason = result.Crash, "oops "+secretTask
			tr.Verdict, tr.Earned = result.Crash, assign.Points{Build: 1}
		}
		m := result.Module{Name: task.Name, Steps: ss}
		m.Summarize()
		tr.Module = &m
		r.Tasks = append(r.Tasks, tr)
		r.Total += tr.Earned.Total()
		r.Max += tr.Max.Total()
	}
	return r
}

func schema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	s, err := jsonschema.NewCompiler().Compile(filepath.Join("testdata", "schema", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, b []byte) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	return s.Validate(v)
}

func render(t *testing.T, f Format, a *assign.Assignment, r *grade.Result) []byte {
	t.Helper()
	b, err := Render(f, a, r, Options{})
	if err != nil {
		t.Fatalf("render %s: %v", f, err)
	}
	return b
}

// jsonOf is the JSON part of a rendering: Autolab's last line, the whole
// file otherwise.
func jsonOf(f Format, b []byte) []byte {
	if f == Autolab {
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		return []byte(lines[len(lines)-1])
	}
	return b
}

// results are the cases every format is checked on.
func results(a *assign.Assignment) map[string]*grade.Result {
	all := handMadeResult(a)
	perfect := handMadeResult(a)
	perfect.Total = 0
	for i := range perfect.Tasks {
		tr := &perfect.Tasks[i]
		ss := stepsFor(a.Tasks[i])
		tr.Module.Steps, tr.Verdict, tr.Earned = ss, result.Pass, tr.Max
		perfect.Total += tr.Max.Total()
	}
	empty := &grade.Result{Student: "bo", Assignment: a.Name, Max: all.Max}
	for _, task := range a.Tasks {
		empty.Tasks = append(empty.Tasks, grade.TaskResult{Name: task.Name, Verdict: result.Missing, Max: task.Points, Problem: "no file named " + task.Name + ".c"})
	}
	unreadable := &grade.Result{Student: "cy", Assignment: a.Name, Max: all.Max, Tasks: empty.Tasks,
		Problem: "stage: archive entry ../../etc/passwd escapes the submission"}
	flood := handMadeResult(a)
	w := stepNamed(flood.Tasks[0].Module.Steps, "(workload)")
	for i := range 200_000 {
		w.Log = append(w.Log, fmt.Sprintf("flood line %d %s", i, strings.Repeat("x", 40)))
	}
	w.Diff = w.Log
	w.Reason = strings.Repeat("long reason ", 100_000)
	return map[string]*grade.Result{"failures": all, "perfect": perfect, "nothing found": empty, "unreadable": unreadable, "flood": flood}
}

// TestFormatsValidate renders every case in every JSON format and checks
// it against the schema written from the platform's documentation, and
// that the schema can say no.
func TestFormatsValidate(t *testing.T) {
	a := loadVis(t)
	for _, f := range []Format{Gradescope, PrairieLearn, Classroom, Autolab} {
		s := schema(t, string(f))
		for name, r := range results(a) {
			b := jsonOf(f, render(t, f, a, r))
			if err := validate(t, s, b); err != nil {
				t.Errorf("%s, %s: %v", f, name, err)
			}
		}
		if err := validate(t, s, []byte(`{"tests": [{"status": "ok", "score": "1"}], "version": 2}`)); err == nil {
			t.Errorf("%s: the schema accepts a document of wrong types", f)
		}
	}
}

// TestSizeLimits: a flood of kernel log lines still gives files the
// platforms take: PrairieLearn's 1 MB, Classroom's environment variable.
func TestSizeLimits(t *testing.T) {
	a := loadVis(t)
	r := results(a)["flood"]
	for _, tc := range []struct {
		f     Format
		limit int
	}{{PrairieLearn, 1_000_000}, {Classroom, 90_000}, {Gradescope, 1 << 20}} {
		b := render(t, tc.f, a, r)
		if len(b) > tc.limit {
			t.Errorf("%s: %d bytes, over %d", tc.f, len(b), tc.limit)
		}
		if !strings.Contains(string(b), "bytes cut") {
			t.Errorf("%s: the flood was cut without saying so", tc.f)
		}
	}
	if n := len(ClassroomOutput(render(t, Classroom, a, r))); n >= 128<<10 {
		t.Errorf("classroom: the output line is %d bytes, more than one environment string holds", n)
	}
}

// junitCount counts a JUnit document's test cases and those that passed.
func junitCount(t *testing.T, b []byte) (cases, passed int) {
	t.Helper()
	var doc struct {
		Suites []struct {
			Cases []struct {
				Failure *struct{} `xml:"failure"`
				Error   *struct{} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("junit: %v\n%s", err, b)
	}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			cases++
			if c.Failure == nil && c.Error == nil {
				passed++
			}
		}
	}
	return cases, passed
}
