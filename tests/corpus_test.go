package tests

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/grader"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/ko"
	"github.com/lkmlab/lkmlab/lab/result"
	"go.yaml.in/yaml/v3"
)

// The corpora under testdata/real and testdata/hostile are written by the
// team (invented students and attacks, no code from any repository). Each
// holds expect.yaml: what a careful teaching assistant, or a correct
// grader, gives each submission, part by part. These tests grade each
// corpus in one run with the built-in assignment and compare.

// expectTask is one task's expected grade: "missing", or the parts earned.
type expectTask struct {
	Missing  bool
	Verdict  string   `yaml:"verdict"`
	Earns    []string `yaml:"earns"`
	Why      string   `yaml:"why"`
	CaughtBy string   `yaml:"caught_by"`
}

func (e *expectTask) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode && n.Value == "missing" {
		e.Missing = true
		return nil
	}
	type plain expectTask
	return n.Decode((*plain)(e))
}

type expectSub struct {
	About    string                `yaml:"about"`
	Policy   *ko.Policy            `yaml:"policy"`
	CaughtBy string                `yaml:"caught_by"`
	Tasks    map[string]expectTask `yaml:"tasks"`
}

type expectFile struct {
	Students    map[string]expectSub `yaml:"students"`
	Submissions map[string]expectSub `yaml:"submissions"`
}

func loadExpect(t *testing.T, path string) map[string]expectSub {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f expectFile
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if f.Students != nil {
		return f.Students
	}
	return f.Submissions
}

// compare returns how a graded task differs from what is expected ("" when
// it does not).
func compare(want expectTask, got grade.TaskResult) string {
	if want.Missing || want.Verdict == string(result.Missing) {
		if got.Verdict != result.Missing {
			return fmt.Sprintf("want missing, got %s", got.Verdict)
		}
		return ""
	}
	var diffs []string
	if want.Verdict != "" && string(got.Verdict) != want.Verdict {
		diffs = append(diffs, fmt.Sprintf("verdict %s, want %s", got.Verdict, want.Verdict))
	}
	earned, max := got.Earned.Parts(), got.Max.Parts()
	for _, name := range []string{"build", "load", "output", "truth", "unload", "robust"} {
		if max[name] == 0 {
			continue
		}
		wantIt, gotIt := slices.Contains(want.Earns, name), earned[name] == max[name]
		if wantIt != gotIt {
			diffs = append(diffs, fmt.Sprintf("%s earned %v, want %v", name, gotIt, wantIt))
		}
	}
	if want.Why != "" && !strings.Contains(strings.ToLower(taskText(got)), strings.ToLower(want.Why)) {
		diffs = append(diffs, fmt.Sprintf("no %q in the problem", want.Why))
	}
	return strings.Join(diffs, "; ")
}

// taskText is everything a task's report says.
func taskText(tr grade.TaskResult) string {
	var b strings.Builder
	b.WriteString(tr.Problem + "\n")
	if tr.Module != nil {
		b.WriteString(tr.Module.Error + "\n")
		for _, s := range tr.Module.Steps {
			b.WriteString(s.Reason + "\n")
			for _, f := range s.Findings {
				b.WriteString(f.Text + "\n")
			}
		}
	}
	return b.String()
}

// gradeCorpus grades subs with a and returns the results by submission
// folder (or archive) name.
func gradeCorpus(t *testing.T, a *assign.Assignment, subs []string) map[string]*grade.Result {
	t.Helper()
	k := needVM(t)
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Minute)
	defer cancel()
	var progress strings.Builder
	start := time.Now()
	rs, err := grader.Run(ctx, subs, grade.Options{Assignment: a, Kernel: k, Out: out, Jobs: 2, Progress: &progress})
	t.Logf("graded %d submissions in %v:\n%s", len(subs), time.Since(start).Round(time.Second), progress.String())
	if err != nil {
		t.Fatalf("grade.Run: %v", err)
	}
	checkOutputSizes(t, out)
	byName := map[string]*grade.Result{}
	for _, r := range rs {
		byName[filepath.Base(r.Source)] = r
	}
	return byName
}

// maxReportBytes bounds each file a class's staff or CI reads (results,
// reports, JUnit, the overview's pages): nothing a student writes, or
// makes the kernel print, may grow them without bound. Console logs have
// their own bound (vm.MaxConsoleBytes) and are left out. Nor may a report
// name the grader's home or kernel cache (compiler output and kernel
// paths are relabelled).
const maxReportBytes = 2 << 20

func checkOutputSizes(t *testing.T, out string) {
	t.Helper()
	// A path starts the text or follows a space, quote, bracket or "=":
	// a labelled path such as <cache>/kernels/debian-6.1/root/usr/src holds
	// "/root/" inside it, which names nothing of the host.
	hostPaths := []*regexp.Regexp{regexp.MustCompile(`(?m)(^|[\s"'(=:\[])` + regexp.QuoteMeta(kernel.DefaultCacheDir()))}
	if home, err := os.UserHomeDir(); err == nil && len(home) > 1 {
		hostPaths = append(hostPaths, regexp.MustCompile(`(?m)(^|[\s"'(=:\[])`+regexp.QuoteMeta(home+"/")))
	}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "logs" || d.Name() == ".work" {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(out, p)
		if fi, err := d.Info(); err == nil && fi.Size() > maxReportBytes {
			t.Errorf("%s is %d KiB, more than the %d KiB any report may take", rel, fi.Size()>>10, maxReportBytes>>10)
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, host := range hostPaths {
			if m := host.Find(b); m != nil {
				t.Errorf("%s names a host path (%q): a report says where things are on the grader's machine only as labels", rel, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Errorf("walk %s: %v", out, err)
	}
}

// submissions lists the corpus entries expect.yaml names, as paths.
func submissions(t *testing.T, dir string, want map[string]expectSub) []string {
	var subs []string
	for name := range want {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("expect.yaml names %s, which the corpus does not hold", name)
		}
		subs = append(subs, p)
	}
	sort.Strings(subs)
	return subs
}

// corpora lists the corpus folders matching pattern (testdata/real,
// testdata/real2, ...): each holds its own expect.yaml.
func corpora(t *testing.T, pattern string) []string {
	dirs, err := filepath.Glob(filepath.Join("testdata", pattern, "expect.yaml"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no corpus matches testdata/%s/expect.yaml (%v)", pattern, err)
	}
	for i, d := range dirs {
		dirs[i] = filepath.Dir(d)
	}
	return dirs
}

// TestGradeRealCorpus grades each invented class of real-style
// submissions and checks every task part by part against a careful
// teaching assistant's grade.
func TestGradeRealCorpus(t *testing.T) {
	for _, dir := range corpora(t, "real*") {
		t.Run(filepath.Base(dir), func(t *testing.T) { gradeClass(t, dir) })
	}
}

func gradeClass(t *testing.T, dir string) {
	want := loadExpect(t, filepath.Join(dir, "expect.yaml"))
	got := gradeCorpus(t, assign.Default(), submissions(t, dir, want))
	right, total := 0, 0
	for _, name := range sortedKeys(want) {
		r := got[name]
		if r == nil {
			t.Errorf("%s: not graded", name)
			continue
		}
		for task, w := range want[name].Tasks {
			total++
			tr := taskOf(r, task)
			if d := compare(w, tr); d != "" {
				t.Errorf("%s/%s (%s): %s\n  problem: %s", name, task, want[name].About, d, tr.Problem)
				continue
			}
			right++
		}
	}
	t.Logf("%d of %d tasks graded as a careful teaching assistant would", right, total)
}

// TestGradeHostileAttacks grades each corpus of hostile submissions, each
// under the course policy its expect.yaml entry names, and checks each
// gets the outcome a correct grader gives, saying which defence caught it.
func TestGradeHostileAttacks(t *testing.T) {
	for _, dir := range corpora(t, "hostile*") {
		t.Run(filepath.Base(dir), func(t *testing.T) { gradeAttacks(t, dir) })
	}
}

func gradeAttacks(t *testing.T, dir string) {
	want := loadExpect(t, filepath.Join(dir, "expect.yaml"))
	groups := map[string][]string{} // policy, as YAML -> submissions
	policies := map[string]*ko.Policy{}
	for name, w := range want {
		key := ""
		if w.Policy != nil {
			b, _ := yaml.Marshal(w.Policy)
			key = string(b)
			policies[key] = w.Policy
		}
		groups[key] = append(groups[key], filepath.Join(dir, name))
	}
	for key, subs := range groups {
		a := assign.Default()
		if p := policies[key]; p != nil {
			for i := range a.Tasks {
				a.Tasks[i].Policy = *p
			}
		}
		sort.Strings(subs)
		got := gradeCorpus(t, a, subs)
		for _, sub := range subs {
			name := filepath.Base(sub)
			checkAttack(t, name, want[name], got[name])
		}
	}
}

func checkAttack(t *testing.T, name string, want expectSub, r *grade.Result) {
	t.Helper()
	if r == nil {
		t.Errorf("%s: not graded", name)
		return
	}
	for _, task := range assign.Default().Tasks {
		w, ok := want.Tasks[task.Name]
		if !ok {
			w = expectTask{Missing: true}
		}
		tr := taskOf(r, task.Name)
		if d := compare(w, tr); d != "" {
			t.Errorf("%s/%s: %s\n  problem: %s", name, task.Name, d, tr.Problem)
			continue
		}
		if w.CaughtBy != "" {
			t.Logf("%s/%s: %s, caught by %s: %s", name, task.Name, tr.Verdict, w.CaughtBy, firstLine(taskText(tr)))
			if d := caughtBy(w.CaughtBy, tr); d != "" {
				t.Errorf("%s/%s: want it caught by %s: %s", name, task.Name, w.CaughtBy, d)
			}
		}
	}
}

// caughtBy checks the evidence of the defence that caught an attack.
func caughtBy(layer string, tr grade.TaskResult) string {
	causes := map[result.Cause]bool{}
	if tr.Module != nil {
		causes[tr.Module.Cause] = true
		for _, s := range tr.Module.Steps {
			causes[s.Cause] = true
		}
	}
	text := taskText(tr)
	switch layer {
	case "policy":
		if !causes[result.Policy] {
			return "no policy verdict"
		}
	case "nonce":
		if !causes[result.Tampering] || !strings.Contains(text, "nonce") {
			return "no tampering found by the per-command nonce"
		}
	case "framing":
		if !causes[result.Tampering] || !strings.Contains(text, "no agent writes") {
			return "no junk found on the record channel"
		}
	case "deadline":
		if !causes[result.HostTimeout] {
			return "the host did not end the step at its deadline"
		}
	case "truth":
		if !causes[result.Untrue] && !causes[result.OutputDiffers] && !causes[result.WrongResult] {
			return "no step failed on what the module printed or on the truth"
		}
	case "build-timeout":
		// A build ends at a limit (include-bomb), or at once because its
		// output goes to a file, not a pipe it could read (pipe-include).
		if tr.Verdict != result.BuildError {
			return "the build did not end in a build error"
		}
	case "attribution":
		// Charged to the module that caused it: its own step crashed, or
		// its leftover code faulted during another's.
		if !causes[result.LeftRunning] && tr.Verdict != result.Crash {
			return "the fault was not charged to the module that caused it"
		}
	}
	return ""
}

func taskOf(r *grade.Result, name string) grade.TaskResult {
	for _, tr := range r.Tasks {
		if tr.Name == name {
			return tr
		}
	}
	return grade.TaskResult{Name: name}
}

func sortedKeys(m map[string]expectSub) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}
