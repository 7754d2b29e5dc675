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
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/result"
)

// lockingBugs are the fixtures of testdata/locking whose insmod has a
// locking bug: the kind of report the debug kernel gives, and the text of
// the source line it must point at.
var lockingBugs = map[string]struct {
	kind kmsg.Kind
	line string
	also string // the title of another report the step must have, at the same line
}{
	"ancestry-norcu": {kmsg.Lockdep, "p = pid_task(find_vpid(pid), PIDTYPE_PID);", ""},
	"vmas-nolock":    {kmsg.Warning, "for (vma = find_vma(mm, 0); vma; vma = find_vma(mm, vma->vm_end))", ""},
	// PROVE_RCU reports the sleep in an RCU read section first, then
	// DEBUG_ATOMIC_SLEEP its own.
	"snapshot-sleep": {kmsg.Lockdep, "e = kmalloc(sizeof(*e), GFP_KERNEL); /* the bug: may sleep */",
		"BUG: sleeping function called from invalid context"},
}

// lockingFixtures are the folders of testdata/locking: each correct
// module beside its buggy twin.
var lockingFixtures = []string{"ancestry", "ancestry-norcu", "vmas", "vmas-nolock", "snapshot", "snapshot-sleep"}

// runLocking checks the locking fixtures on the named kernel.
func runLocking(t *testing.T, name string) map[string]result.Module {
	return runLockingOn(t, lab.RequireVM(t, name))
}

func runLockingOn(t *testing.T, k *kernel.Kernel) map[string]result.Module {
	targets, err := check.LoadAll("testdata/locking", lockingFixtures)
	if err != nil {
		t.Fatal(err)
	}
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
	return got
}

// TestLockingBugsOnDebugKernel: on the debug kernel (lockdep, PROVE_RCU,
// DEBUG_ATOMIC_SLEEP) each buggy fixture crashes on its insmod with the report of its kind and
// the module's own source line; the correct ones pass.
func TestLockingBugsOnDebugKernel(t *testing.T) {
	name := os.Getenv("LKMLAB_DEBUG_KERNEL")
	if name == "" {
		name = "minimal-debug"
	}
	got := runLocking(t, name)
	for _, m := range lockingFixtures {
		t.Run(m, func(t *testing.T) {
			bug, buggy := lockingBugs[m]
			if !buggy {
				if mod := got[m]; mod.Verdict != result.Pass {
					t.Fatalf("%s: %s", mod.Verdict, mod.Problem())
				}
				return
			}
			s := got[m].Steps[0]
			if s.Verdict != result.Crash || s.Cause != result.KernelFailure || len(s.Failures) == 0 {
				t.Fatalf("insmod: %s (%s): %s; want a crash on a %s report", s.Verdict, s.Cause, s.Reason, bug.kind)
			}
			f := s.Failures[0]
			src := fmt.Sprintf("testdata/locking/%s/%s.c", m, m)
			at := fmt.Sprintf("%s:%d", src, lineOf(t, src, bug.line))
			if f.Kind != bug.kind || !strings.Contains(f.Source, at) {
				t.Errorf("insmod: %s report at %q; want a %s report at %s", f.Kind, f.Source, bug.kind, at)
			}
			if bug.also != "" && !hasReport(s.Failures, bug.also, at) {
				t.Errorf("insmod: no %q report at %s among %d", bug.also, at, len(s.Failures))
			}
			if rm := got[m].Steps[1]; rm.Verdict != result.Pass {
				t.Errorf("rmmod: %s: %s", rm.Verdict, rm.Reason)
			}
		})
	}
}

// TestLockingBugsPassOnPlainKernels: Debian's kernels check no locking, so
// the same fixtures pass there: the debug kernel is what finds them. From
// 6.10 on, though, mmap_assert_locked() checks the lock without lockdep
// too (rwsem_assert_held), so vmas-nolock crashes there at its find_vma()
// as it does on the debug kernel.
func TestLockingBugsPassOnPlainKernels(t *testing.T) {
	for _, name := range kernelMatrix() {
		if strings.HasPrefix(name, "minimal-debug") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			k := lab.RequireVM(t, name)
			for m, mod := range runLockingOn(t, k) {
				if m == "vmas-nolock" && atLeast(k.Release, 6, 10) {
					s := mod.Steps[0]
					src := "testdata/locking/vmas-nolock/vmas-nolock.c"
					at := fmt.Sprintf("%s:%d", src, lineOf(t, src, lockingBugs[m].line))
					if s.Verdict != result.Crash || len(s.Failures) == 0 || !strings.Contains(s.Failures[0].Source, at) {
						t.Errorf("%s on %s: %s: %s; want the kernel's own assertion at %s", m, k.Release, s.Verdict, s.Reason, at)
					}
					continue
				}
				if mod.Verdict != result.Pass {
					t.Errorf("%s: %s: %s", m, mod.Verdict, mod.Problem())
				}
			}
		})
	}
}

// atLeast reports whether a kernel release ("6.12.95+deb12-amd64") is
// major.minor or later.
func atLeast(release string, major, minor int) bool {
	var ma, mi int
	if _, err := fmt.Sscanf(release, "%d.%d", &ma, &mi); err != nil {
		return false
	}
	return ma > major || ma == major && mi >= minor
}

// hasReport reports whether a failure titled title is placed at source
// line at.
func hasReport(fs []*kmsg.Failure, title, at string) bool {
	for _, f := range fs {
		if strings.HasPrefix(f.Title, title) && strings.Contains(f.Source, at) {
			return true
		}
	}
	return false
}
