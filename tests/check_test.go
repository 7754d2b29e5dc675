package tests

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/result"
)

// TestCheck runs hello and one fixture per failure mode in shared boots,
// and checks that each gets the verdict it deserves. The panic fixture
// ends its VM, so the harness must boot a second one for the rest.
func TestCheck(t *testing.T) {
	k := needVM(t)
	targets := loadTargets(t, "../modules/hello", "testdata/modules/broken", "testdata/modules/enomem",
		"testdata/modules/oops", "testdata/modules/panic", "testdata/modules/wrongout", "testdata/modules/hang")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	r, err := check.Run(ctx, targets, check.Options{Kernel: k, Logf: t.Logf, Console: consoleTo(t)})
	if err != nil {
		t.Fatalf("check.Run: %v", err)
	}
	got := map[string]result.Module{}
	for _, m := range r.Modules {
		got[m.Name] = m
	}
	for _, tc := range []struct {
		name   string
		want   result.Verdict
		assert func(t *testing.T, m result.Module)
	}{
		{"hello", result.Pass, assertHello},
		{"broken", result.BuildError, func(t *testing.T, m result.Module) {
			mustContain(t, m.Error, "undeclared_variable", "error:")
		}},
		{"enomem", result.Fail, func(t *testing.T, m result.Module) {
			mustContain(t, m.Steps[0].Reason, "ENOMEM")
			if m.Steps[1].Verdict != result.Skipped {
				t.Errorf("rmmod of a module that never loaded: %s, want skipped", m.Steps[1].Verdict)
			}
		}},
		{"oops", result.Crash, func(t *testing.T, m result.Module) {
			assertFailure(t, m.Steps[0], kmsg.Oops, "NULL pointer dereference")
			want := fmt.Sprintf("testdata/modules/oops/oops.c:%d (fixture_init)", lineOf(t, "testdata/modules/oops/oops.c", "return *p;"))
			if f := m.Steps[0].Failures; len(f) == 0 || f[0].Source != want {
				t.Errorf("oops source: got %+v, want %s", f, want)
			}
			mustContain(t, m.Steps[0].Reason, "at "+want)
		}},
		{"panic", result.Crash, func(t *testing.T, m result.Module) {
			mustContain(t, m.Steps[0].Reason, "lkmlab fixture panic")
		}},
		{"wrongout", result.Fail, func(t *testing.T, m result.Module) {
			diff := strings.Join(m.Steps[0].Diff, "\n")
			mustContain(t, diff, "- Hello World from a module", "+ Hello world from a module")
			if m.Steps[1].Verdict != result.Pass {
				t.Errorf("rmmod step: %s, want pass", m.Steps[1].Verdict)
			}
		}},
		{"hang", result.Timeout, func(t *testing.T, m result.Module) {
			if m.Steps[0].Verdict != result.Timeout || m.Steps[1].Verdict != result.Skipped {
				t.Errorf("steps: %s, %s; want timeout, skipped", m.Steps[0].Verdict, m.Steps[1].Verdict)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, ok := got[tc.name]
			if !ok {
				t.Fatalf("no result for %s", tc.name)
			}
			if m.Verdict != tc.want {
				t.Fatalf("verdict %s, want %s: %s", m.Verdict, tc.want, m.Problem())
			}
			tc.assert(t, m)
		})
	}
	if n := r.Boots - r.RestoreFailures; n != 2 {
		t.Errorf("VMs that ran steps = %d, want 2 (one shared, one replacement after the panic)", n)
	}
}

func assertHello(t *testing.T, m result.Module) {
	if len(m.Steps) != 2 {
		t.Fatalf("steps: %+v", m.Steps)
	}
	mustContain(t, strings.Join(m.Steps[0].Log, "\n"), "Hello World from a module")
	mustContain(t, strings.Join(m.Steps[1].Log, "\n"), "Bye from a module")
	if strings.Contains(strings.Join(m.Steps[0].Log, "\n"), "Bye") {
		t.Errorf("insmod step log holds rmmod output: %q", m.Steps[0].Log)
	}
	const outOfTree = 1 << 12 // TAINT_OOT_MODULE
	if m.Steps[0].TaintAfter&outOfTree == 0 {
		t.Errorf("taint after insmod = %#x, want the out-of-tree bit", m.Steps[0].TaintAfter)
	}
}

func assertFailure(t *testing.T, s result.Step, kind kmsg.Kind, title string) {
	t.Helper()
	if len(s.Failures) == 0 {
		t.Fatalf("%s: no kernel failure recorded; reason %q", s.Name, s.Reason)
	}
	f := s.Failures[0]
	if f.Kind != kind || !strings.Contains(f.Title, title) {
		t.Errorf("%s: failure %s %q, want %s containing %q", s.Name, f.Kind, f.Title, kind, title)
	}
	mustContain(t, s.Reason, title)
}

func mustContain(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%q does not contain %q", s, sub)
		}
	}
}

// TestHostTimeout freezes the whole guest: the agent cannot answer, so the
// host must end the VM and still give the step a verdict, with QEMU's view
// of the guest.
func TestHostTimeout(t *testing.T) {
	k := needVM(t)
	tg, err := check.Load("testdata/modules/freeze")
	if err != nil {
		t.Fatal(err)
	}
	r, err := check.Run(context.Background(), []check.Target{tg},
		check.Options{Kernel: k, Logf: t.Logf, Console: consoleTo(t), VMTimeout: 20 * time.Second})
	if err != nil {
		t.Fatalf("check.Run: %v", err)
	}
	m := r.Modules[0]
	if m.Verdict != result.Timeout || m.Steps[0].Verdict != result.Timeout || m.Steps[1].Verdict != result.Skipped {
		t.Fatalf("verdict %s, steps %+v; want timeout then skipped", m.Verdict, m.Steps)
	}
	mustContain(t, m.Steps[0].Reason, "host ended the VM", "QEMU status: running")
	mustContain(t, strings.Join(m.Steps[0].Log, "\n"), "freeze: stopping every CPU")
}

// lineOf finds the line number of the first line of file containing text.
func lineOf(t *testing.T, file, text string) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, text) {
			return i + 1
		}
	}
	t.Fatalf("%s has no line with %q", file, text)
	return 0
}
