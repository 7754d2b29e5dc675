package agent

import (
	"os"
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
	// The idle list is read before the step: a kernel thread idle then may
	// be busy now (on a loaded host a kworker goes to D), so the test asks
	// only that the list holds kernel threads and none of the tree's own.
	parent, _ := strconv.Atoi(facts["pid"])
	mine := append(slices.Clone(all), parent)
	for _, pid := range pidList(facts["idle_pids"]) {
		if slices.Contains(mine, pid) {
			t.Errorf("idle_pids lists %d, a process of the tree", pid)
		}
		if ppid, ok := procParent(pid); ok && ppid != 2 && pid != 2 {
			t.Errorf("idle_pids lists %d, whose parent %d is not kthreadd: not a kernel thread", pid, ppid)
		}
	}
	freed := stop()
	if freed == nil {
		t.Fatal("stop could not reap the tree")
	}
	for _, pid := range mine {
		if _, _, gone := procStat(t, pid); !gone {
			t.Errorf("pid %d outlived its tree", pid)
		}
	}
}

// procParent reads the parent pid of pid from /proc; ok is false once pid
// is gone.
func procParent(pid int) (ppid int, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	ppid, _, ok = statParent(string(b))
	return ppid, ok
}
