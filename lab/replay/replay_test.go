package replay

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/result"
)

// Hand-made reports, the shapes lkmlab check --json and lkmlab grade
// write, cut down to what a replay reads.
const (
	handMadeCheck = `{"kernel": "debian-6.1", "release": "6.1.0-57-amd64", "seed": 99, "versions": {"kernel_build_id": "abc"},
 "modules": [
  {"name": "hello", "verdict": "pass", "steps": [{"name": "insmod hello", "verdict": "pass"}, {"name": "rmmod hello", "verdict": "pass"}]},
  {"name": "heap", "verdict": "fail", "steps": [
    {"name": "insmod heap", "verdict": "fail", "cause": "untrue", "facts": {"h.pid": "4242", "h.heap_bytes": "1000", "h.vmrss_kb": "900"}},
    {"name": "rmmod heap", "verdict": "pass"}]}]}`
	handMadeGrade = `{"student": "alice", "source": "<submissions>/alice.zip", "assignment": "lab2", "kernel": "debian-6.1", "seed": 7,
 "tasks": [
  {"name": "hello", "verdict": "missing"},
  {"name": "size", "verdict": "fail", "module": {"name": "size", "verdict": "fail", "steps": [{"name": "insmod size", "verdict": "timeout"}]}}],
 "runs": {"size": {"runs": 2, "failed": 2, "seeds": [7, 1234], "kept": 1}}}`
)

func write(t *testing.T, text string) string {
	p := filepath.Join(t.TempDir(), "report.json")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadReadsBothReports(t *testing.T) {
	c, err := Load(write(t, handMadeCheck))
	if err != nil {
		t.Fatal(err)
	}
	if c.Grade || c.Seed != 99 || c.Kernel != "debian-6.1" || c.BuildID != "abc" || len(c.Modules) != 2 || c.Modules[1].Name != "heap" {
		t.Fatalf("check report: %+v", c)
	}
	g, err := Load(write(t, handMadeGrade))
	if err != nil {
		t.Fatal(err)
	}
	if !g.Grade || g.Student != "alice" || g.Seed != 7 || len(g.Modules) != 1 || g.Modules[0].Name != "size" || g.Runs["size"].Kept != 1 {
		t.Fatalf("grade result: %+v", g)
	}
	if _, err := Load(write(t, `{"grades": []}`)); err == nil {
		t.Error("a file that is neither report was read")
	}
	if _, err := submission(g, ""); err == nil || !strings.Contains(err.Error(), "--submission") {
		t.Errorf("a scrubbed source: %v", err)
	}
}

func TestRefs(t *testing.T) {
	rep, err := Load(write(t, handMadeCheck))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in, want, step, err string
	}{
		{"heap:2", "heap:2", "rmmod heap", ""},
		{"heap", "heap:1", "insmod heap", ""}, // the first step that did not pass
		{"hello", "", "", "every step of hello passed"},
		{"heap:3", "", "", "has 2 steps"},
		{"heap:0", "", "", "N from 1"},
		{"size:1", "", "", `no module "size"`},
		{":1", "", "", "want MODULE:N"},
	} {
		ref, err := ParseRef(tc.in)
		var step result.Step
		if err == nil {
			ref, step, err = rep.Find(ref)
		}
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || ref.String() != tc.want || step.Name != tc.step {
			t.Errorf("%q = %s (%s), %v; want %s (%s)", tc.in, ref, step.Name, err, tc.want, tc.step)
		}
	}
}

func TestCompareHoldsDrawnValuesOnly(t *testing.T) {
	was := result.Step{Name: "insmod heap", Verdict: result.Fail, Cause: result.Untrue,
		Facts: map[string]string{"h.pid": "4242", "h.heap_bytes": "1000", "m.phys": "1000", "z.vmrss_kb_after": "3"}}
	for _, tc := range []struct {
		name string
		now  result.Step
		same bool
	}{
		{"identical", was, true},
		{"a measured value moved", step(was, "m.phys", "2000"), true},
		{"a drawn value moved", step(was, "h.heap_bytes", "1001"), false},
		{"a pid moved", step(was, "h.pid", "4243"), false},
		{"another verdict", func() result.Step { s := was; s.Verdict = result.Pass; s.Cause = ""; return s }(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := &Outcome{Was: was, Now: tc.now, Report: &Report{Path: "r.json"}, Kernel: &kernel.Kernel{Name: "k"}}
			o.compare()
			if o.Same != tc.same {
				t.Fatalf("Same = %v, want %v (%+v)", o.Same, tc.same, o.Values)
			}
			var b bytes.Buffer
			o.Write(&b)
			if tc.same != strings.Contains(b.String(), "same verdict and values") {
				t.Fatalf("output:\n%s", b.String())
			}
		})
	}
}

func step(s result.Step, k, v string) result.Step {
	f := map[string]string{}
	for a, b := range s.Facts {
		f[a] = b
	}
	f[k] = v
	s.Facts = f
	return s
}
