package tests

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab"
	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/result"
)

// TestSeedModules checks the six seed modules for format and truth, and in
// the same boot the variants under testdata/variants, each of which lies in
// one way the checks must catch.
func TestSeedModules(t *testing.T) {
	for _, name := range kernelMatrix() {
		t.Run(name, func(t *testing.T) { seedModulesOn(t, name) })
	}
}

func seedModulesOn(t *testing.T, kernelName string) {
	k := lab.RequireVM(t, kernelName)
	seed, err := check.LoadAll("../modules", nil)
	if err != nil {
		t.Fatal(err)
	}
	variants, err := check.LoadAll("testdata/variants", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	r, err := check.Run(ctx, append(seed, variants...), check.Options{Kernel: k, Logf: t.Logf, Console: consoleTo(t)})
	if err != nil {
		t.Fatalf("check.Run: %v", err)
	}
	got := map[string]result.Module{}
	for _, m := range r.Modules {
		got[m.Name] = m
	}
	for _, name := range []string{"hello", "running", "heap", "ksp", "mapper", "size"} {
		t.Run("seed/"+name, func(t *testing.T) {
			m := got[name]
			if m.Verdict != result.Pass {
				t.Fatalf("verdict %s: %s", m.Verdict, m.Problem())
			}
			for _, s := range m.Steps {
				if s.Verdict != result.Pass {
					t.Errorf("%s: %s", s.Name, s.Verdict)
				}
			}
		})
	}
	t.Run("seed/bad input fails cleanly", func(t *testing.T) {
		n := 0
		for _, m := range []result.Module{got["mapper"], got["size"]} {
			for _, s := range m.Steps {
				if strings.Contains(s.Name, "(pid 0)") || strings.Contains(s.Name, "(kernel thread)") ||
					strings.Contains(s.Name, "(no such pid)") || strings.Contains(s.Name, "(kernel address)") {
					n++
					// A probe passes on robustness alone; this project's own
					// modules also give the errno and message their spec documents.
					if s.Verdict != result.Pass || len(s.Failures) > 0 || !s.OutputOK {
						t.Errorf("%s: %s (documented errno and message: %v) %q", s.Name, s.Verdict, s.OutputOK, s.Reason)
					}
				}
			}
		}
		if n != 7 {
			t.Errorf("found %d bad-input steps, want 7 (mapper 4, size 3)", n)
		}
	})
	for name, want := range map[string]string{
		"heap-wrongpid":    "truth: pid == h.pid does not hold",
		"heap-sample":      "truth: bytes == h.heap_bytes does not hold",
		"size-wrongsize":   "truth: near(vm, z.vmsize_kb, 64) does not hold",
		"running-every":    "truth: none(in(pid, t.sleeping_pids)) does not hold",
		"mapper-hardcoded": "truth: hex(phys) == hex(m.phys)",
		"ksp-hardcoded":    "truth: hex(stack) == hex(k.pid1_stack) does not hold",
	} {
		t.Run("variant/"+name, func(t *testing.T) {
			m := got[name]
			if m.Verdict != result.Fail {
				t.Fatalf("verdict %s, want fail", m.Verdict)
			}
			mustContain(t, m.Problem()+"\n"+allReasons(m), want)
		})
	}
	if n := r.Boots - r.RestoreFailures; n != 1 {
		t.Errorf("VMs that ran steps = %d, want 1: all twelve modules share one", n)
	}
}

func allReasons(m result.Module) string {
	var rs []string
	for _, s := range m.Steps {
		rs = append(rs, s.Reason)
	}
	return strings.Join(rs, "\n")
}
