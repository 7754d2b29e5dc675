package tests

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab"
	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/grader"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/result"
)

// TestFallbackKernelGradesOldCode: dana-m of the real corpus wrote
// running and size for a 5.4 kernel (task->state, mm->mmap), which do not
// build on 6.1. With debian-5.10 as the assignment's fallback both are
// graded there, in full, and say so; her other tasks stay on 6.1.
func TestFallbackKernelGradesOldCode(t *testing.T) {
	k := lab.RequireVM(t, "debian-6.1")
	old := lab.RequireVM(t, "debian-5.10")
	a := assign.Default()
	a.FallbackKernels = []string{old.Name}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	rs, err := grader.Run(ctx, []string{filepath.Join("testdata", "real", "dana-m")},
		grade.Options{Assignment: a, Kernel: k, Fallbacks: []*kernel.Kernel{old}, Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range rs[0].Tasks {
		want := map[string]string{"running": old.Name, "size": old.Name}[tr.Name]
		if tr.Kernel != want {
			t.Errorf("%s graded on %q, want %q", tr.Name, tr.Kernel, want)
		}
		if want != "" && (tr.Verdict != result.Pass || tr.Earned.Total() != tr.Max.Total()) {
			t.Errorf("%s on %s: %s, %d of %d: %s", tr.Name, tr.Kernel, tr.Verdict, tr.Earned.Total(), tr.Max.Total(), tr.Problem)
		}
	}
	if md := grade.Markdown(rs[0]); !strings.Contains(md, "running was graded on debian-5.10") {
		t.Errorf("report.md does not say where running was graded:\n%s", md)
	}
}
