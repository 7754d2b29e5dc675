package tests

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab"
	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/result"
)

// TestDebugProfileLeaks runs, on the debug kernel (kmemleak), correct
// modules and two leaky ones in one VM: nodes-nofree never frees its
// kmalloc'd list, which kmemleak must report and charge to the insmod
// that allocated it; heapmm-nommput takes every process's address space
// with get_task_mm and never calls mmput. kmemleak cannot see that leak on
// x86-64 (the pgd page points back to the mm_struct), so the agent's
// address-space sentinels must. The correct ones (hello, heap, heapmm
// with mmput, nodes) must pass: no false positive either way.
func TestDebugProfileLeaks(t *testing.T) {
	name := os.Getenv("LKMLAB_DEBUG_KERNEL")
	if name == "" {
		name = "minimal-debug"
	}
	k := lab.RequireVM(t, name)
	targets := loadTargets(t, "../modules/hello", "../modules/heap", "testdata/leaks/heapmm", "testdata/leaks/heapmm-nommput",
		"testdata/leaks/nodes", "testdata/leaks/nodes-nofree")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	r, err := check.Run(ctx, targets, check.Options{Kernel: k, Logf: t.Logf, Console: consoleTo(t)})
	if err != nil {
		t.Fatalf("check.Run: %v", err)
	}
	if r.LeakScans == 0 || len(r.LeakErrors) > 0 {
		t.Fatalf("no kmemleak result on %s: %d scans, errors %q", name, r.LeakScans, r.LeakErrors)
	}
	want := map[string]string{
		"heapmm-nommput": "address space leak: the step's own process (insmod) ended, but its address space was never freed",
		"nodes-nofree":   "kmemleak: memory allocated during the step was never freed: 8 leaked objects",
	}
	for _, m := range r.Modules {
		t.Run(m.Name, func(t *testing.T) {
			reason, leaky := want[m.Name]
			if !leaky {
				if m.Verdict != result.Pass {
					t.Fatalf("%s: %s", m.Verdict, m.Problem())
				}
				return
			}
			ins, rm := m.Steps[0], m.Steps[1]
			if ins.Verdict != result.Fail || !strings.Contains(ins.Reason, reason) || ins.Clean {
				t.Fatalf("insmod: %s (clean %v): %s; want %q", ins.Verdict, ins.Clean, ins.Reason, reason)
			}
			// The output and truth were right: only the leak fails it.
			if !ins.OutputOK || !ins.TruthOK {
				t.Errorf("insmod: output ok %v, truth ok %v; the leak alone should fail it", ins.OutputOK, ins.TruthOK)
			}
			if rm.Verdict != result.Pass {
				t.Errorf("rmmod: %s: %s", rm.Verdict, rm.Reason)
			}
		})
	}
}

// TestAddressSpaceLeakOnEveryKernel: the sentinels need no debug kernel;
// heapmm-nommput is caught on each kernel of the matrix, heapmm is not.
func TestAddressSpaceLeakOnEveryKernel(t *testing.T) {
	for _, name := range kernelMatrix() {
		t.Run(name, func(t *testing.T) {
			k := lab.RequireVM(t, name)
			targets, err := check.LoadAll("testdata/leaks", []string{"heapmm", "heapmm-nommput"})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			r, err := check.Run(ctx, targets, check.Options{Kernel: k, Logf: t.Logf})
			if err != nil {
				t.Fatalf("check.Run: %v", err)
			}
			good, bad := r.Modules[0], r.Modules[1]
			if good.Verdict != result.Pass {
				t.Errorf("heapmm: %s: %s", good.Verdict, good.Problem())
			}
			s := bad.Steps[0]
			var leaks []string
			for _, f := range s.Findings {
				if f.Kind == result.AddressSpaceLeak {
					leaks = append(leaks, f.Text)
				}
			}
			if s.Verdict != result.Fail || !strings.Contains(s.Reason, "address space leak") ||
				!strings.Contains(strings.Join(leaks, "\n"), "workload h") {
				t.Errorf("heapmm-nommput insmod: %s: %s (findings %q)", s.Verdict, s.Reason, leaks)
			}
		})
	}
}
