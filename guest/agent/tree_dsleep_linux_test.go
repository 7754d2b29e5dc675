package agent

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/plan"
	"golang.org/x/sys/unix"
)

func TestParseKidsStates(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []kid
	}{
		{"D:a,S:b", []kid{{'D', "a"}, {'S', "b"}}},
		{"t:a", nil}, // held by a tracer: the tree makes those, the host draws none
		{"I:a", nil},
	} {
		got, err := parseKids(tc.in)
		if (err != nil) != (tc.want == nil) || !slices.Equal(got, tc.want) {
			t.Errorf("parseKids(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

// TestTreeHoldsAChildInUninterruptibleSleep starts a tree with a child
// drawn in D: it must show D for as long as the tree lives (the process
// its vfork made stays stopped, a stopped child of the tree), and stopping
// the tree must end and reap both.
func TestTreeHoldsAChildInUninterruptibleSleep(t *testing.T) {
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		t.Skipf("cannot become a subreaper: %v", err)
	}
	kids := "S:leaf-000011,D:leaf-000012,R:leaf-000013"
	facts, stop, err := (&Linux{}).StartWorkload(plan.Workload{Name: "t", Kind: plan.Tree, Args: map[string]string{"comm": "tree-00abce", "children": kids}})
	if err != nil && strings.Contains(err.Error(), "trace child") {
		t.Skipf("this host does not let a process trace its child (run as root, or with kernel.yama.ptrace_scope <= 1): %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	states := map[byte]int{}
	for _, fact := range []string{"sleeping_pids", "stopped_pids", "running_pids"} {
		for _, pid := range pidList(facts[fact]) {
			_, st, gone := procStat(t, pid)
			if gone {
				t.Errorf("%s: %d is gone", fact, pid)
			}
			states[st]++
		}
	}
	if states['S'] != 1 || states['D'] != 1 || states['t'] != 1 || states['R'] != 1 {
		t.Errorf("states of the listed children %v: want one each of S, D, t and R (facts %v)", states, facts)
	}
	all, comms := pidList(facts["all_pids"]), strings.Split(facts["comms"], ",")
	if len(all) != 4 || len(comms) != 4 {
		t.Fatalf("all_pids %q, comms %q: want 4 each (the held process with its D child's name)", facts["all_pids"], facts["comms"])
	}
	for _, pid := range pidList(facts["idle_pids"]) {
		if _, st, _ := procStat(t, pid); st != 'I' && st != 0 {
			t.Errorf("idle_pids lists %d, in state %c", pid, st)
		}
	}
	freed := stop()
	if freed == nil {
		t.Fatal("stop could not reap the tree")
	}
	parent, _ := strconv.Atoi(facts["pid"])
	for _, pid := range append(all, parent) {
		if _, _, gone := procStat(t, pid); !gone {
			t.Errorf("pid %d outlived its tree", pid)
		}
	}
}
