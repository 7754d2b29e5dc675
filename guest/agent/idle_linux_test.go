package agent

import (
	"slices"
	"testing"
	"testing/fstest"
)

// TestIdleThreads reads a hand-written /proc: the tasks in state I are
// listed, whatever their names hold.
func TestIdleThreads(t *testing.T) {
	stat := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	proc := fstest.MapFS{
		"1/stat":   stat("1 (init) S 0 1 1 0 -1 4194560"),
		"2/stat":   stat("2 (kthreadd) S 0 0 0 0 -1 2129984"),
		"14/stat":  stat("14 (kworker/0:1-events) I 2 0 0 0 -1 69238880"),
		"15/stat":  stat("15 (rcu_gp) I 2 0 0 0 -1 69238880"),
		"700/stat": stat("700 (a) I b) R 1 700 700 0 -1 4194304"), // a name that spells a state: its state is R
		"701/stat": stat("701 (spin-3fa9c1) R 1 701 701 0 -1 4194304"),
		"702/stat": stat("garbage"),
		"self":     &fstest.MapFile{Data: []byte("701")},
		"uptime":   stat("12.34 5.67"),
	}
	if got := idleThreads(proc); !slices.Equal(got, []int{14, 15}) {
		t.Fatalf("idleThreads = %v, want [14 15]", got)
	}
}

// TestRunnableKernelThreads reads a hand-written /proc: only children of
// kthreadd (and kthreadd) in state R are listed, not user processes that
// run, nor kernel threads asleep or idle.
func TestRunnableKernelThreads(t *testing.T) {
	stat := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	proc := fstest.MapFS{
		"1/stat":   stat("1 (init) R 0 1 1 0 -1 4194560"),
		"2/stat":   stat("2 (kthreadd) S 0 0 0 0 -1 2129984"),
		"14/stat":  stat("14 (kworker/0:1-events) I 2 0 0 0 -1 69238880"),
		"15/stat":  stat("15 (ksoftirqd/0) S 2 0 0 0 -1 69238880"),
		"90/stat":  stat("90 (lkm2 (R 2) worker) R 2 0 0 0 -1 2129984"),
		"91/stat":  stat("91 (x) R 2) S 2 0 0 0 -1 2129984"), // a name that spells a state: its state is S
		"701/stat": stat("701 (spin-3fa9c1) R 1 701 701 0 -1 4194304"),
		"702/stat": stat("garbage"),
	}
	if got := runnableKernelThreads(proc); !slices.Equal(got, []int{90}) {
		t.Fatalf("runnableKernelThreads = %v, want [90]", got)
	}
}
