package tests

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/result"
)

// runHello checks hello with the given snapshot folder and returns the
// report.
func runHello(t *testing.T, k *kernel.Kernel, snapshots string) *result.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	r, err := check.Run(ctx, loadTargets(t, "../modules/hello"), check.Options{Kernel: k, Logf: t.Logf, SnapshotDir: snapshots})
	if err != nil {
		t.Fatalf("check.Run: %v", err)
	}
	if r.Modules[0].Verdict != result.Pass {
		t.Fatalf("hello: %s: %s", r.Modules[0].Verdict, r.Modules[0].Problem())
	}
	return r
}

// savedStates lists the snapshots' state files under dir.
func savedStates(t *testing.T, dir string) []string {
	t.Helper()
	states, err := filepath.Glob(filepath.Join(dir, "*", "*", "state"))
	if err != nil {
		t.Fatal(err)
	}
	return states
}

// TestSnapshot: the first check boots cold and saves the guest, the second
// restores it; a state file that does not restore, and a snapshot saved
// for another kernel build or agent, each cost one cold boot that says so
// and saves a fresh snapshot, and the check still passes.
func TestSnapshot(t *testing.T) {
	k := needVM(t)
	dir := t.TempDir()

	r := runHello(t, k, dir)
	if r.Restored != 0 || r.Saved != 1 || r.Stale != 0 {
		t.Fatalf("first run: restored %d; want a cold boot that saves a snapshot", r.Restored)
	}
	states := savedStates(t, dir)
	if len(states) != 1 {
		t.Fatalf("saved states: %v, want one", states)
	}

	r = runHello(t, k, dir)
	if r.Restored != 1 || r.Boots != 1 || r.Saved != 0 {
		t.Fatalf("second run: %d boots, %d restored; want one restored", r.Boots, r.Restored)
	}

	t.Run("damaged state", func(t *testing.T) {
		if err := os.Truncate(states[0], 4096); err != nil {
			t.Fatal(err)
		}
		r := runHello(t, k, dir)
		if r.Restored != 0 || r.RestoreFailures != 1 || r.Saved != 1 {
			t.Fatalf("damaged state: restored %d; want a cold boot that says the restore failed", r.Restored)
		}
		fi, err := os.Stat(states[0])
		if err != nil || fi.Size() <= 4096 {
			t.Fatalf("no fresh state saved: %v", err)
		}
		if r := runHello(t, k, dir); r.Restored != 1 {
			t.Fatalf("after the fallback: restored %d, want 1", r.Restored)
		}
	})

	t.Run("stale snapshot", func(t *testing.T) {
		current := filepath.Dir(states[0])
		stale := filepath.Join(filepath.Dir(current), "0000000000000000")
		if err := os.Rename(current, stale); err != nil {
			t.Fatal(err)
		}
		r := runHello(t, k, dir)
		if r.Restored != 0 || r.Stale != 1 || r.Saved != 1 {
			t.Fatalf("stale snapshot: restored %d; want a cold boot that calls it stale", r.Restored)
		}
		if _, err := os.Stat(stale); !os.IsNotExist(err) {
			t.Errorf("the stale snapshot is still there: %v", err)
		}
		if got := savedStates(t, dir); len(got) != 1 || got[0] != states[0] {
			t.Errorf("saved states %v, want %s", got, states[0])
		}
	})
}
