package tests

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab"
	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/result"
)

// runErrpath checks the three error-path fixtures on the named kernel.
func runErrpath(t *testing.T, name string) map[string]result.Module {
	k := lab.RequireVM(t, name)
	targets, err := check.LoadAll("testdata/errpath", []string{"pool", "pool-unchecked", "pool-leaky"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	r, err := check.Run(ctx, targets, check.Options{Kernel: k, Logf: t.Logf, Console: consoleTo(t)})
	if err != nil {
		t.Fatalf("check.Run: %v", err)
	}
	got := map[string]result.Module{}
	for _, m := range r.Modules {
		got[m.Name] = m
	}
	return got
}

// TestErrorPathSweepOnDebugKernel: on the debug kernel (failslab,
// kmemleak) the sweep of pool passes; pool-unchecked crashes at the
// allocation whose failure it ignored, pool-leaky leaks what it had
// allocated before the failure.
func TestErrorPathSweepOnDebugKernel(t *testing.T) {
	name := os.Getenv("LKMLAB_DEBUG_KERNEL")
	if name == "" {
		name = "minimal-debug"
	}
	got := runErrpath(t, name)
	if m := got["pool"]; m.Verdict != result.Pass {
		t.Errorf("pool: %s: %s", m.Verdict, m.Problem())
	}
	s := got["pool-unchecked"].Steps[0]
	src := "testdata/errpath/pool-unchecked/pool-unchecked.c"
	at := fmt.Sprintf("%s:%d", src, lineOf(t, src, "pool->buf[i] = kmalloc(512, GFP_KERNEL);"))
	if s.Verdict != result.Crash || len(s.Failures) == 0 || s.Failures[0].Injected == 0 || !strings.Contains(s.Failures[0].Source, at) {
		t.Errorf("pool-unchecked sweep: %s: %s; want a crash after an injected failure, located at %s", s.Verdict, s.Reason, at)
	}
	s = got["pool-leaky"].Steps[0]
	if s.Verdict != result.Fail || !strings.Contains(s.Reason, "kmemleak") {
		t.Errorf("pool-leaky sweep: %s: %s; want the leak kmemleak finds", s.Verdict, s.Reason)
	}
	for _, m := range []string{"pool", "pool-leaky"} {
		for _, st := range got[m].Steps[1:] {
			if st.Verdict != result.Pass {
				t.Errorf("%s: %s: %s: %s", m, st.Name, st.Verdict, st.Reason)
			}
		}
	}
}

// TestErrorPathSweepOnPlainKernel: Debian's kernel injects no faults, so
// a sweep is a plain load and all three fixtures pass.
func TestErrorPathSweepOnPlainKernel(t *testing.T) {
	for name, m := range runErrpath(t, "debian-6.1") {
		if m.Verdict != result.Pass {
			t.Errorf("%s: %s: %s", name, m.Verdict, m.Problem())
		}
	}
}
