package platform

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
)

// TestStudentsSeeWhatTheyMay renders the hand-made result in every format
// that shows results at once and checks that nothing of a hidden or
// later-shown task or step reaches it, while what is visible does.
func TestStudentsSeeWhatTheyMay(t *testing.T) {
	a := loadVis(t)
	r := handMadeResult(a)
	never := []string{secretStep, secretLater, secretHello, secretTask,
		"insmod size (kernel thread)", "insmod size (no such pid)", "insmod secret"}
	for _, f := range []Format{PrairieLearn, Classroom, Autolab, CodeGrade} {
		b := string(render(t, f, a, r))
		shown := b
		if f == Autolab { // its scores line names every problem, hidden ones too (see autolab)
			shown = b[:strings.LastIndex(strings.TrimRight(b, "\n"), "\n")]
		}
		for _, s := range append(never, "secret") {
			if strings.Contains(shown, s) {
				t.Errorf("%s: a student sees %q:\n%s", f, s, shown)
			}
		}
		for _, s := range []string{"truth: near(rss, z.vmrss_kb, 64) does not hold", "insmod size (workload)", "hidden tests", "(a step not shown here)"} {
			if !strings.Contains(b, s) {
				t.Errorf("%s: a student does not see %q:\n%s", f, s, b)
			}
		}
	}
}

// TestGradescopeVisibility: Gradescope enforces visibility itself, so
// every test carries its own, and each secret is only in tests whose
// visibility is the secret's.
func TestGradescopeVisibility(t *testing.T) {
	a := loadVis(t)
	var res gsResults
	if err := json.Unmarshal(render(t, Gradescope, a, handMadeResult(a)), &res); err != nil {
		t.Fatal(err)
	}
	where := map[string]assign.Visibility{secretStep: assign.Hidden, secretLater: assign.AfterDueDate,
		secretHello: assign.AfterDueDate, secretTask: assign.Hidden, "does not hold": assign.Visible}
	for s, v := range where {
		found := false
		for _, tc := range res.Tests {
			if strings.Contains(tc.Output, s) {
				found = true
				if tc.Visibility != string(v) {
					t.Errorf("%q is in test %q, visibility %s; want %s", s, tc.Name, tc.Visibility, v)
				}
			}
		}
		if !found {
			t.Errorf("%q is in no test: staff do not see it", s)
		}
		if v != assign.Visible && strings.Contains(res.Output, s) {
			t.Errorf("the submission's output, which students see, holds %q", s)
		}
	}
	if strings.Contains(res.Output, "secret") {
		t.Errorf("the submission's output names the hidden task:\n%s", res.Output)
	}
	sum := 0
	for _, tc := range res.Tests {
		sum += tc.Score
	}
	if sum != res.Score || res.Score != 9 {
		t.Errorf("score %d, tests sum to %d; want 9 both", res.Score, sum)
	}
	if res.StdoutVisibility != "hidden" {
		t.Errorf("stdout_visibility %q: run_autograder's stdout carries the staff report", res.StdoutVisibility)
	}
}

// TestScoresAgree: every format gives the student's points out of the
// maximum, each in its own way.
func TestScoresAgree(t *testing.T) {
	a := loadVis(t)
	for name, r := range results(a) {
		if r.Problem != "" || name == "nothing found" {
			continue
		}
		var pl plResults
		mustJSON(t, render(t, PrairieLearn, a, r), &pl)
		var cr crResults
		mustJSON(t, render(t, Classroom, a, r), &cr)
		var al alScores
		mustJSON(t, jsonOf(Autolab, render(t, Autolab, a, r)), &al)
		plSum, plMax, crSum, alSum := 0, 0, 0, 0
		for _, tc := range pl.Tests {
			plSum, plMax = plSum+tc.Points, plMax+tc.MaxPoints
			if tc.Points > tc.MaxPoints {
				t.Errorf("%s: prairielearn test %s: %d of %d points", name, tc.Name, tc.Points, tc.MaxPoints)
			}
		}
		for _, tc := range cr.Tests {
			crSum += tc.Score
		}
		for _, v := range al.Scores {
			alSum += v
		}
		cases, passed := junitCount(t, render(t, CodeGrade, a, r))
		want := float64(r.Total) / float64(r.Max)
		for what, got := range map[string]float64{"prairielearn score": pl.Score, "prairielearn tests": ratio(plSum, plMax),
			"classroom": ratio(crSum, cr.MaxScore), "autolab": ratio(alSum, r.Max), "codegrade (passed cases)": ratio(passed, cases)} {
			if got != want {
				t.Errorf("%s: %s gives %.3f, want %d/%d", name, what, got, r.Total, r.Max)
			}
		}
	}
}

func ratio(a, b int) float64 { return float64(a) / float64(b) }

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
}

// TestNotGradable: a submission with nothing to grade costs a
// PrairieLearn student no attempt, and says why.
func TestNotGradable(t *testing.T) {
	a := loadVis(t)
	for _, name := range []string{"nothing found", "unreadable"} {
		var pl plResults
		mustJSON(t, render(t, PrairieLearn, a, results(a)[name]), &pl)
		if pl.Gradable || len(pl.FormatErrors) == 0 {
			t.Errorf("%s: gradable %v, format_errors %q", name, pl.Gradable, pl.FormatErrors)
		}
		if b, _ := json.Marshal(pl); strings.Contains(string(b), "secret") {
			t.Errorf("%s: a student sees the hidden task's name: %s", name, b)
		}
	}
	var pl plResults
	mustJSON(t, render(t, PrairieLearn, a, handMadeResult(a)), &pl)
	if !pl.Gradable {
		t.Error("a submission with files is not gradable")
	}
}

// TestHostileText: what a module printed reaches no platform as control
// characters or workflow commands.
func TestHostileText(t *testing.T) {
	a := loadVis(t)
	r := handMadeResult(a)
	for _, f := range Formats {
		b := string(render(t, f, a, r))
		if f == Classroom {
			var cr crResults
			mustJSON(t, []byte(b), &cr)
			b = cr.Tests[0].Message
			if strings.Contains(b, "::add-mask::") {
				t.Errorf("classroom: a workflow command reaches the log: %q", b)
			}
		}
		bad := []string{"\x1b", "\x07", "\r", "\\u001b"}
		if f == CodeGrade {
			bad = append(bad, "</testcase><")
		}
		for _, s := range bad {
			if strings.Contains(b, s) {
				t.Errorf("%s: holds %q", f, s)
			}
		}
	}
}

// TestDeliver: each platform's file lands where the platform reads it,
// and nowhere when this is not its machine.
func TestDeliver(t *testing.T) {
	a := loadVis(t)
	r := handMadeResult(a)
	dir := t.TempDir()
	gs, pl := filepath.Join(dir, "autograder"), filepath.Join(dir, "grade")
	os.Mkdir(gs, 0o755)
	os.Mkdir(pl, 0o755)
	env := map[string]string{GradescopeRootEnv: gs, PrairieLearnRootEnv: pl,
		GitHubOutputEnv: filepath.Join(dir, "gh-output"), CodeGradeJUnitEnv: filepath.Join(dir, "cg", "junit.xml")}
	var stdout strings.Builder
	out := filepath.Join(dir, "out")
	var notes []string
	logf := func(f string, args ...any) { // into stdout too: Autolab may show both as one
		notes = append(notes, fmt.Sprintf(f, args...))
		fmt.Fprintf(&stdout, f+"\n", args...)
	}
	err := Write(out, a, []*grade.Result{r}, Formats, Options{}, Env{Getenv: func(k string) string { return env[k] }, Stdout: &stdout, Logf: logf})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(gs, "results", "results.json"), filepath.Join(pl, "results", "results.json"), env[CodeGradeJUnitEnv]} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("not delivered: %v (notes %q)", err, notes)
		}
	}
	gh, _ := os.ReadFile(env[GitHubOutputEnv])
	if !strings.HasPrefix(string(gh), "result=") || !strings.HasSuffix(string(gh), "\n") {
		t.Errorf("GITHUB_OUTPUT: %q", gh)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if !strings.HasPrefix(lines[len(lines)-1], `{"scores":`) {
		t.Errorf("autolab: the scores are not the last line of the output:\n%s", stdout.String())
	}
	for _, f := range Formats {
		if _, err := os.Stat(filepath.Join(Dir(out, "ana"), FileName(f))); err != nil {
			t.Errorf("%s: no copy in the student's folder: %v", f, err)
		}
	}
	// Not on a platform's machine: nothing is delivered (this machine has
	// no /autograder or /grade, or the test says so).
	for _, f := range []Format{Gradescope, PrairieLearn, Classroom, CodeGrade} {
		if _, err := os.Stat("/autograder"); err == nil && f == Gradescope {
			continue
		}
		if _, err := os.Stat("/grade"); err == nil && f == PrairieLearn {
			continue
		}
		where, err := Deliver(f, []byte("x"), Env{Getenv: func(string) string { return "" }})
		if where != "" || err != nil {
			t.Errorf("%s: delivered to %q (%v) off its platform", f, where, err)
		}
	}
	// A root that is set but missing is a mistake, said as one.
	_, err = Deliver(Gradescope, []byte("x"), Env{Getenv: func(string) string { return filepath.Join(dir, "none") }})
	if err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("a missing %s: %v", GradescopeRootEnv, err)
	}
}
