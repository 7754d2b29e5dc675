package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/grade"
)

// TestGradeSurvivesSIGKILL kills lkmlab grade once its first student is
// written, checks no VM outlives it, reruns it, and finds every result
// exactly once, the first one untouched.
func TestGradeSurvivesSIGKILL(t *testing.T) {
	needVM(t)
	bin := filepath.Join(t.TempDir(), "lkmlab")
	if out, err := exec.Command("go", "build", "-o", bin, "../lab/cmd/lkmlab").CombinedOutput(); err != nil {
		t.Fatalf("build lkmlab: %v\n%s", err, out)
	}
	out := filepath.Join(t.TempDir(), "grades")
	subs := []string{"perfect", "hardcoded", "one-task-wrong", "wrong-param"}
	args := []string{"grade", "--assignment", "testdata/submissions/assignment.yaml", "--out", out}
	for _, s := range subs {
		args = append(args, filepath.Join("testdata/submissions", s))
	}
	cmd := exec.Command(bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	first := waitForResult(t, out, 3*time.Minute)
	before, _ := os.ReadFile(first)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	time.Sleep(time.Second) // the death signal reaches QEMU
	if ps, _ := exec.Command("pgrep", "-f", out).Output(); len(ps) > 0 {
		t.Errorf("processes outlived the killed grader: %s", ps)
	}

	rerun := exec.Command(bin, args...)
	if b, err := rerun.CombinedOutput(); err != nil {
		t.Fatalf("rerun: %v\n%s", err, b)
	}
	after, _ := os.ReadFile(first)
	if string(before) != string(after) {
		t.Errorf("%s was graded again after the kill", first)
	}
	results, _ := filepath.Glob(filepath.Join(grade.StudentDir(out, "*"), "result.json"))
	csv, _ := os.ReadFile(filepath.Join(out, "grades.csv"))
	if len(results) != len(subs) || strings.Count(string(csv), "\n") != len(subs)+1 {
		t.Fatalf("%d results and grades.csv:\n%s\nwant %d students once each", len(results), csv, len(subs))
	}
	for _, s := range subs {
		if strings.Count(string(csv), "\n"+s+",") != 1 {
			t.Errorf("%s appears %d times in grades.csv", s, strings.Count(string(csv), "\n"+s+","))
		}
	}
}

func waitForResult(t *testing.T, out string, limit time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if rs, _ := filepath.Glob(filepath.Join(grade.StudentDir(out, "*"), "result.json")); len(rs) > 0 {
			return rs[0]
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no result.json in %s after %v", out, limit)
	return ""
}
