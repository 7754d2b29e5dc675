package kmsg

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFailureErrorShowsWhereNotRegisters(t *testing.T) {
	b, err := os.ReadFile("testdata/null-deref-module.log")
	if err != nil {
		t.Fatal(err)
	}
	fs := Scan(ParseLines(string(b)))
	if len(fs) == 0 {
		t.Fatal("no failure in testdata/null-deref-module.log")
	}
	f := fs[0]
	f.Step = "insmod oopsmod"
	got := f.Error()
	lines := strings.Split(got, "\n")
	if lines[0] != "oops in insmod oopsmod: "+f.Title {
		t.Errorf("first line %q", lines[0])
	}
	if !strings.Contains(got, "RIP: 0010:") || !strings.Contains(got, "[oopsmod]") {
		t.Errorf("no kernel RIP naming the module in:\n%s", got)
	}
	if !strings.Contains(got, "do_one_initcall") {
		t.Errorf("no call trace frame in:\n%s", got)
	}
	if strings.Contains(got, "RIP: 0033:") || strings.Contains(got, "R13:") {
		t.Errorf("user-space registers shown:\n%s", got)
	}
	if !strings.HasSuffix(lines[len(lines)-1], "lines omitted)") {
		t.Errorf("last line %q, want the omitted count", lines[len(lines)-1])
	}
}

func TestFailureErrorShort(t *testing.T) {
	short := &Failure{Kind: Panic, Title: "Kernel panic - not syncing: x", Lines: []string{"Kernel panic - not syncing: x"}}
	if got := short.Error(); got != "panic: Kernel panic - not syncing: x" {
		t.Errorf("got %q", got)
	}
}

func TestIsFailure(t *testing.T) {
	f := &Failure{Kind: Warning, Title: "WARNING: CPU: 0 PID: 1 at x.c:1 f"}
	err := fmt.Errorf("run step: %w", f)
	got, ok := IsFailure(err)
	if !ok || got != f {
		t.Errorf("IsFailure(wrapped) = %v, %v", got, ok)
	}
	if _, ok := IsFailure(errors.New("plain")); ok {
		t.Error("IsFailure(plain error) = true")
	}
	if _, ok := IsFailure(nil); ok {
		t.Error("IsFailure(nil) = true")
	}
}

// TestLockdepErrorSaysWhatItFound: a lockdep report's message line (what
// was used without its lock) and the module's frame are in Error().
func TestLockdepErrorSaysWhatItFound(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "lockdep-rcu.log"))
	if err != nil {
		t.Fatal(err)
	}
	fs := Scan(ParseLines(string(in)))
	if len(fs) != 1 || fs[0].Kind != Lockdep {
		t.Fatalf("Scan = %v, want one lockdep report", fs)
	}
	got := fs[0].Error()
	for _, want := range []string{"lockdep: WARNING: suspicious RCU usage", "kernel/pid.c:401 suspicious rcu_dereference_check() usage!",
		"  ancestry_norcu_init+0x24/0x1000 [ancestry_norcu]"} {
		if !strings.Contains(got, want) {
			t.Errorf("Error() lacks %q:\n%s", want, got)
		}
	}
}

// TestInjectedFailureLeadsToTheAllocation: a crash right after an injected
// allocation failure carries that report first, so that its first module
// frame, where the harness looks for the source line, is the allocation's.
func TestInjectedFailureLeadsToTheAllocation(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "injected-oops.log"))
	if err != nil {
		t.Fatal(err)
	}
	fs := Scan(ParseLines(string(in)))
	if len(fs) == 0 || fs[0].Injected == 0 {
		t.Fatalf("Scan = %v, want a failure after the injected one", fs)
	}
	f := fs[0]
	if f.Lines[0] != InjectedHeadline || !strings.HasPrefix(f.Lines[f.Injected], "=====") {
		t.Errorf("lines start %q and the report %q; want the injection, then the KASAN report", f.Lines[0], f.Lines[f.Injected])
	}
	got := f.Error()
	for _, want := range []string{"bug: BUG: KASAN: null-ptr-deref", "after an injected allocation failure, allocated at:",
		"  kmalloc_trace+", "  pool_init+0x75/0x1000 [pool_unchecked]", "  pool_init+0xa5/0x1000 [pool_unchecked]"} {
		if !strings.Contains(got, want) {
			t.Errorf("Error() lacks %q:\n%s", want, got)
		}
	}
	if len(fs) > 1 && fs[1].Injected != 0 {
		t.Errorf("the oops after the KASAN report carries the injection too")
	}
}
