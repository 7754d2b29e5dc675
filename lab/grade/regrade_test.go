package grade

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/result"
)

func TestCompare(t *testing.T) {
	base := func() *Result {
		return &Result{Student: "ann", AssignmentDigest: "sha256:a", Kernel: "debian-6.1", KernelRelease: "6.1.0-57",
			LkmlabVersion: "v1", Seed: 7, Total: 4, Tasks: []TaskResult{
				{Name: "hello", Verdict: result.Pass, Earned: assign.Points{Build: 1, Load: 1, Output: 2}},
				{Name: "size", Verdict: result.Fail, Earned: assign.Points{Build: 1}}}}
	}
	files := map[string]string{"hello.c": "1", "size.c": "2"}
	for _, c := range []struct {
		name      string
		edit      func(r *Result, x *Extras)
		wantWhy   string
		wantTasks string
	}{
		{"nothing", func(r *Result, x *Extras) { r.Seed = 9 }, "nothing it depends on changed (a --regrade): the run drew new random values (seed 9, was 7)", ""},
		{"assignment", func(r *Result, x *Extras) { r.AssignmentDigest = "sha256:b" }, "the assignment or one of its specs changed", ""},
		{"kernel", func(r *Result, x *Extras) { r.KernelRelease = "6.1.0-58" }, "the kernel changed (was debian-6.1 6.1.0-57, now debian-6.1 6.1.0-58)", ""},
		{"lkmlab", func(r *Result, x *Extras) { r.LkmlabVersion = "v2" }, "lkmlab changed (was v1, now v2)", ""},
		{"files", func(r *Result, x *Extras) {
			x.Files = map[string]string{"hello.c": "1", "size.c": "3", "new.h": "4"}
			r.Tasks[1] = TaskResult{Name: "size", Verdict: result.Pass, Earned: assign.Points{Build: 1, Load: 1, Truth: 3}}
		}, "the submission changed: changed size.c; added new.h", "size fail→pass load 0→1 truth 0→3"},
		{"removed", func(r *Result, x *Extras) {
			x.Files = map[string]string{"hello.c": "1"}
			r.Tasks[1] = TaskResult{Name: "size", Verdict: result.Missing}
		}, "the submission changed: removed size.c", "size fail→missing build 1→0"},
	} {
		prev, cur := base(), base()
		prev.Files, cur.Files = files, maps.Clone(files)
		c.edit(cur, &cur.Extras)
		ch := Compare(prev, cur)
		if got := strings.Join(ch.Why, "; "); got != c.wantWhy {
			t.Errorf("%s: why %q, want %q", c.name, got, c.wantWhy)
		}
		var tasks []string
		for _, tc := range ch.Tasks {
			s := tc.Task + " " + string(tc.WasVerdict) + "→" + string(tc.NowVerdict)
			for _, p := range tc.Parts {
				s += " " + p.Part + " " + itoa(p.Was) + "→" + itoa(p.Now)
			}
			tasks = append(tasks, s)
		}
		if got := strings.Join(tasks, ", "); got != c.wantTasks {
			t.Errorf("%s: tasks %q, want %q", c.name, got, c.wantTasks)
		}
	}
}

// A regrade of a changed submission says in report.md and regrades.json
// what changed and why, keeps the old grade, and the extras (file
// digests, runs, static findings) go through result.json and back.
func TestRegradeSaysWhatChanged(t *testing.T) {
	subs := class(t, "ann")
	out := filepath.Join(t.TempDir(), "out")
	output := "hi"
	tasks := func(ctx context.Context, j TaskJob, o Options) error {
		r := j.R
		x := ExtrasOf(r)
		x.Files = FileDigests(j.Sub.Files, j.Sub.Read)
		b, _ := j.Sub.Read("hello.c")
		tr := TaskResult{Name: "hello", File: "hello.c", Verdict: result.Pass, Max: o.Assignment.Tasks[0].Points,
			Module: &result.Module{Name: "hello", Verdict: result.Pass}}
		if strings.Contains(string(b), "y") {
			tr.Verdict, tr.Earned = result.Fail, assign.Points{Build: 1, Warnings: 1}
			x.Static = map[string][]Static{"hello": {{Kind: Warning, File: "hello.c", Line: 1, Rule: "-Wunused", Text: "unused <b>"}}}
			x.Runs = map[string]Runs{"hello": {Runs: 2, Failed: 2, Seeds: []uint64{1, 2}, Why: []string{"truth off", "timeout"}}}
		} else {
			tr.Earned = tr.Max
		}
		r.Tasks, r.Total = []TaskResult{tr}, tr.Earned.Total()
		return nil
	}
	a := testAssignment(output)
	a.Tasks[0].Points.Warnings = 2
	o := Options{Assignment: a, Kernel: testKernel, Out: out, Tasks: tasks}
	if _, err := Run(context.Background(), subs, o); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(subs[0], "hello.c"), []byte("int y;\n"), 0o644)
	o.Regrade = true
	if _, err := Run(context.Background(), subs, o); err != nil {
		t.Fatal(err)
	}
	dir := StudentDir(out, "ann")
	report, _ := os.ReadFile(filepath.Join(dir, reportFile))
	for _, want := range []string{"## Since the last grade: 6 → 2", "the submission changed: changed hello.c",
		"| hello | pass → fail | load 1 → 0, output 2 → 0, warnings 2 → 1 |", "| hello | 1/2 (1 found) | 0/0 (0 found) |", "hello.c:1: warning unused &lt;b&gt; (\\-Wunused)",
		"lost points in 2 of 2 runs"} {
		if !strings.Contains(string(report), want) {
			t.Errorf("report.md lacks %q:\n%s", want, report)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, prevFile)); err != nil {
		t.Errorf("the replaced grade is not kept: %v", err)
	}
	var changes []Change
	b, _ := os.ReadFile(filepath.Join(out, regradesFile))
	if err := json.Unmarshal(b, &changes); err != nil || len(changes) != 1 || changes[0].Was != 6 || changes[0].Now != 2 {
		t.Errorf("regrades.json: %v %s", err, b)
	}
	rs, _, err := Results(out)
	if err != nil || len(rs) != 1 {
		t.Fatal(err)
	}
	if x := ExtrasOf(rs[0]); x.Files["hello.c"] == "" || x.Runs["hello"].Failed != 2 || len(x.Static["hello"]) != 1 {
		t.Errorf("extras read back: %+v", x)
	}
	if as := Annotations(rs[0]); len(as) != 1 || as[0].File != "hello.c" || as[0].Line != 1 || as[0].Level != "warning" {
		t.Errorf("annotations %+v", as)
	}
	if _, err := os.Stat(filepath.Join(out, "overview", "index.html")); err != nil {
		t.Errorf("no class overview: %v", err)
	}
}
