package tests

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/grader"
	"github.com/lkmlab/lkmlab/lab/result"
)

// TestReplayGradeStep grades a submission that prints hard-coded values,
// then runs the command its report.md names for the failed step, in the
// student's folder: the step comes out with the same verdict and the same
// drawn values (the workload's pid among them) as the grade.
func TestReplayGradeStep(t *testing.T) {
	k := needVM(t)
	cli := lkmlabCLI(t)
	assignment, err := filepath.Abs("testdata/submissions/assignment.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, err := assign.Load(assignment)
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := filepath.Abs("testdata/submissions/hardcoded")
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	rs, err := grader.Run(ctx, []string{sub}, grade.Options{Assignment: a, Kernel: k, Out: out, Logf: t.Logf})
	if err != nil || len(rs) != 1 {
		t.Fatalf("grade: %d results, %v", len(rs), err)
	}
	was := failedStep(t, rs[0], "size")
	pid := was.Facts["z.pid"]
	if pid == "" || was.Verdict != result.Fail {
		t.Fatalf("the graded step: %s with facts %v; want a failure with the workload's pid", was.Verdict, was.Facts)
	}

	dir := grade.StudentDir(out, rs[0].Student)
	cmdline := replayLine(t, filepath.Join(dir, "report.md"), "--step size:1")
	cmdline = strings.NewReplacer("'<submissions>/hardcoded'", sub, "ASSIGNMENT.yaml", assignment).Replace(cmdline)
	cmd := exec.CommandContext(ctx, "sh", "-c", cmdline)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(cli)+":"+os.Getenv("PATH"))
	got, err := cmd.CombinedOutput()
	t.Logf("%s\n%s", cmdline, got)
	if err != nil {
		t.Fatalf("the replay did not reproduce the step: %v", err)
	}
	text := string(got)
	if !strings.Contains(text, "same verdict and values as the report") || strings.Contains(text, "!=") {
		t.Fatal("the replay reports a difference")
	}
	if !strings.Contains(text, "FAIL (untrue)                FAIL (untrue)") || strings.Count(text, " "+pid+" ") < 1 {
		t.Fatalf("the replay does not show the verdict and the pid %s, then and now", pid)
	}
}

// failedStep is the first step of the task that did not pass.
func failedStep(t *testing.T, r *grade.Result, task string) result.Step {
	t.Helper()
	for _, tr := range r.Tasks {
		if tr.Name == task && tr.Module != nil {
			for _, s := range tr.Module.Steps {
				if s.Verdict != result.Pass && s.Verdict != result.Skipped {
					return s
				}
			}
		}
	}
	t.Fatalf("%s: no failed step in %+v", task, r.Tasks)
	return result.Step{}
}

// replayLine is the replay command report.md gives for a step.
func replayLine(t *testing.T, report, step string) string {
	t.Helper()
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "lkmlab check ") && strings.Contains(l, step) {
			return l
		}
	}
	t.Fatalf("%s names no replay with %s:\n%s", report, step, b)
	return ""
}
