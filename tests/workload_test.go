package tests

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab"
	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/spec"
)

// TestWorkloadTruth shows, on each kernel of the matrix, that the
// workloads' facts tell a module that does its task from one that does
// something easier (the fixtures in testdata/workloads): pid 2's stack
// passes for a thread stack but not for pid 1's; a list of every process
// names the tree's sleeping and stopped children; and a page walk to the
// map workload's unpopulated address reaches the page table and finds
// nothing there. All three share one VM.
func TestWorkloadTruth(t *testing.T) {
	for _, name := range kernelMatrix() {
		t.Run(name, func(t *testing.T) { workloadTruthOn(t, name) })
	}
}

func workloadTruthOn(t *testing.T, kernelName string) {
	k := lab.RequireVM(t, kernelName)
	targets := loadTargets(t, "testdata/workloads/taskstack", "testdata/workloads/tasklist")
	// The seed's page walker, judged against the unpopulated address.
	unpop, err := spec.Load("testdata/workloads/unpopulated")
	if err != nil {
		t.Fatal(err)
	}
	targets = append(targets, check.Target{Name: "unpopulated", Dir: "../modules/mapper", Spec: unpop})
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
	t.Run("pid1_stack", func(t *testing.T) { assertPid1Stack(t, got["taskstack"]) })
	t.Run("tree", func(t *testing.T) { assertTree(t, got["tasklist"]) })
	t.Run("unpopulated", func(t *testing.T) { assertUnpopulated(t, got["unpopulated"]) })
}

// insmodStep finds the module's insmod step labelled label.
func insmodStep(t *testing.T, m result.Module, label string) result.Step {
	t.Helper()
	var names []string
	for _, s := range m.Steps {
		if strings.HasPrefix(s.Name, "insmod ") && strings.HasSuffix(s.Name, "("+label+")") {
			return s
		}
		names = append(names, s.Name)
	}
	t.Fatalf("module %q (%s: %s) has no step insmod (%s); steps: %q", m.Name, m.Verdict, m.Problem(), label, names)
	return result.Step{}
}

func assertPid1Stack(t *testing.T, m result.Module) {
	one, two := insmodStep(t, m, "pid 1"), insmodStep(t, m, "pid 2")
	if e := one.Facts["k.pid1_stack_error"]; e != "" {
		t.Fatalf("the stacks workload could not read pid 1's stack: %s", e)
	}
	stack := one.Facts["k.pid1_stack"]
	if stack == "" || !slices.Contains(strings.Split(one.Facts["k.addrs"], ","), stack) {
		t.Fatalf("pid1_stack %q is not one of the thread stacks in addrs (step %s %q)", stack, one.Verdict, one.Reason)
	}
	t.Logf("pid1_stack %s; pid 2's step: %s", stack, two.Reason)
	if one.Verdict != result.Pass || !one.TruthOK {
		t.Errorf("pid 1's stack: %s %q; want pass", one.Verdict, one.Reason)
	}
	const rule = "hex(stack) == hex(k.pid1_stack)"
	if two.Verdict != result.Fail || two.TruthOK || !strings.Contains(two.Reason, rule) {
		t.Errorf("pid 2's stack: %s %q; want fail on %s", two.Verdict, two.Reason, rule)
	}
	// pid 1's stack is the same in every run from this saved guest: a
	// failure that showed it would give every later run the answer.
	if strings.Contains(two.Reason, stack) {
		t.Errorf("pid 2's failure shows pid 1's stack %s: %q", stack, two.Reason)
	}
	// What made the old truth weak: pid 2's stack is a thread stack too.
	if strings.Contains(two.Reason, "k.addrs") {
		t.Errorf("pid 2's stack is no thread stack in addrs: %q", two.Reason)
	}
}

func assertTree(t *testing.T, m result.Module) {
	running, every := insmodStep(t, m, "running"), insmodStep(t, m, "every process")
	if running.Verdict != result.Pass || !running.TruthOK {
		t.Fatalf("listing the running processes: %s %q; want pass", running.Verdict, running.Reason)
	}
	f := running.Facts
	if n := len(strings.Split(f["t.all_pids"], ",")); n < 4 || n != len(strings.Split(f["t.comms"], ",")) {
		t.Fatalf("tree facts: all_pids %q, comms %q: want the same number, at least one per state", f["t.all_pids"], f["t.comms"])
	}
	// A second opinion from Go, which also checks the names.
	if bad := treeListingErrors(running); len(bad) > 0 {
		t.Errorf("the running-processes module is judged wrong: %s", strings.Join(bad, "; "))
	}
	const rule = "none(in(pid, t.sleeping_pids)"
	t.Logf("listing every process: %s", every.Reason)
	if every.Verdict != result.Fail || every.TruthOK || !strings.Contains(every.Reason, rule) {
		t.Errorf("listing every process: %s %q; want fail on %s...", every.Verdict, every.Reason, rule)
	}
	// What made the old truth weak: every process includes the running one.
	if strings.Contains(every.Reason, "in(pid, t.running_pids) does not hold") {
		t.Errorf("listing every process left out the running child: %q", every.Reason)
	}
	bad := strings.Join(treeListingErrors(every), "; ")
	for _, want := range []string{"sleeping child", "stopped child"} {
		if !strings.Contains(bad, want) {
			t.Errorf("listing every process: %q names no %s listed", bad, want)
		}
	}
}

var listed = regexp.MustCompile(`^(\d+)\t(.+)$`)

// treeListingErrors judges a list of running processes against the tree
// workload t: its running child must be listed under its name (which no
// fact pairs with its pid), and none of its sleeping, stopped or zombie
// children.
func treeListingErrors(s result.Step) []string {
	names := map[string]string{}
	for _, l := range s.Log {
		if g := listed.FindStringSubmatch(strings.TrimSpace(l)); g != nil {
			names[g[1]] = g[2]
		}
	}
	all, comms := strings.Split(s.Facts["t.all_pids"], ","), strings.Split(s.Facts["t.comms"], ",")
	var errs []string
	for _, pid := range strings.Split(s.Facts["t.running_pids"], ",") {
		i := slices.Index(all, pid)
		if i < 0 || i >= len(comms) || names[pid] != comms[i] {
			errs = append(errs, fmt.Sprintf("running child %s not listed under its name (printed %q)", pid, names[pid]))
		}
	}
	for _, st := range []string{"sleeping", "stopped", "zombie"} {
		for _, pid := range strings.Split(s.Facts["t."+st+"_pids"], ",") {
			if _, ok := names[pid]; ok && pid != "" {
				errs = append(errs, fmt.Sprintf("%s child %s listed", st, pid))
			}
		}
	}
	return errs
}

func assertUnpopulated(t *testing.T, m result.Module) {
	s := insmodStep(t, m, "unpopulated")
	if s.Verdict != result.Pass {
		t.Fatalf("walk to the unpopulated address: %s %q", s.Verdict, s.Reason)
	}
	// The neighbours' pages give the address a page table: the walk must
	// get there and find no entry, not stop above it.
	log := strings.Join(s.Log, "\n")
	if !strings.Contains(log, "Address of Page Middle Directory") || strings.Contains(log, "Address of Page Table Entry") {
		t.Errorf("the walk did not stop at an empty page table entry:\n%s", log)
	}
}
