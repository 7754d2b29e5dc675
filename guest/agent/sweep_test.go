package agent

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/plan"
)

// fakeFaults is a module whose load makes allocs allocations: those in
// init fail as outcome says, the others are the kernel's, before init
// (the first before) or after it.
type fakeFaults struct {
	allocs, before int
	outcome        func(n int) Result // a load whose n-th allocation (in init) fails
	unavailable    error
	tried          []int
	armed          bool
}

func (f *fakeFaults) Available() error { return f.unavailable }
func (f *fakeFaults) Arm() (func(), error) {
	f.armed = true
	return func() { f.armed = false }, nil
}

func (f *fakeFaults) Try(_ plan.Step, n int, _ time.Duration, _ func() bool) try {
	f.tried = append(f.tried, n)
	switch {
	case n == 0 || n > f.allocs:
		return try{Result: Result{Status: plan.OK}, Allocations: f.allocs}
	case n <= f.before:
		return try{Result: Result{Status: plan.Failed, Errno: "ENOMEM"}, Injected: true, Where: siteBefore}
	case n == f.allocs:
		return try{Result: Result{Status: plan.OK}, Injected: true, Where: siteAfter} // announcing the module: not fatal
	}
	return try{Result: f.outcome(n), Injected: true, Where: siteInit}
}

func TestSweep(t *testing.T) {
	clean := func(int) Result { return Result{Status: plan.Failed, Errno: "ENOMEM"} }
	tests := []struct {
		name        string
		f           *fakeFaults
		status      plan.Status
		tried       []int
		note        string
		unloaded    int
		plainInsmod bool
	}{
		{"every failure handled", &fakeFaults{allocs: 10, before: 6, outcome: clean}, plan.OK,
			[]int{countAll, 12, 11, 10, 9, 8, 7, 6, 5, 4, 0}, "sweep: 3 allocations of 10", 4, false},
		{"an oops at the second", &fakeFaults{allocs: 10, before: 6, outcome: func(n int) Result {
			if n == 8 {
				return Result{Status: plan.Killed, Error: "oops"}
			}
			return clean(n)
		}}, plan.Killed, []int{countAll, 12, 11, 10, 9, 8}, "the load with allocation 8 failing: oops", 4, false},
		{"no fault injection", &fakeFaults{unavailable: errors.New("no failslab")}, plan.OK, nil, "no sweep: no failslab", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sys := &fakeSys{}
			a := &Agent{Sys: sys}
			s := plan.Step{Module: "m", Action: plan.Insmod, Path: "/lkm/m.ko", Sweep: plan.SweepAllocations}
			r := a.sweep(tc.f, s, time.Minute, func() bool { return false })
			if r.Status != tc.status || !strings.Contains(r.Error, tc.note) {
				t.Errorf("result %s %q, want %s with %q", r.Status, r.Error, tc.status, tc.note)
			}
			if !reflect.DeepEqual(tc.f.tried, tc.tried) {
				t.Errorf("loads %v, want %v", tc.f.tried, tc.tried)
			}
			if len(sys.unloaded) != tc.unloaded {
				t.Errorf("unloaded %d times (%v), want %d", len(sys.unloaded), sys.unloaded, tc.unloaded)
			}
			if (len(sys.ran) > 0) != tc.plainInsmod || tc.f.armed {
				t.Errorf("plain insmods %v, knobs still armed %v", sys.ran, tc.f.armed)
			}
		})
	}
}

// TestRunStepSweepsOnlyWhenAsked: a step without Sweep, or an rmmod, runs
// as it always did.
func TestRunStepSweepsOnlyWhenAsked(t *testing.T) {
	saved := sweepFaults
	defer func() { sweepFaults = saved }()
	f := &fakeFaults{allocs: 3, before: 2, outcome: func(int) Result { return Result{Status: plan.Failed} }}
	sweepFaults = f
	for _, s := range []plan.Step{{Module: "m", Action: plan.Insmod, Path: "/lkm/m.ko"},
		{Module: "m", Action: plan.Rmmod, Path: "/lkm/m.ko", Sweep: plan.SweepAllocations}} {
		(&Agent{Sys: &fakeSys{}}).runStep(s, time.Second, func() bool { return false })
	}
	if len(f.tried) != 0 {
		t.Fatalf("swept %v for steps that did not ask", f.tried)
	}
	(&Agent{Sys: &fakeSys{}}).runStep(plan.Step{Module: "m", Action: plan.Insmod, Path: "/lkm/m.ko", Sweep: plan.SweepAllocations},
		time.Second, func() bool { return false })
	if len(f.tried) == 0 {
		t.Fatal("an insmod with Sweep did not sweep")
	}
}

func TestClassify(t *testing.T) {
	head := []string{faultHeadline, "name failslab, interval 1, probability 0, space 0, times 0", "Call Trace:", " <TASK>", " should_fail_ex+0x252/0x2a8"}
	tests := []struct {
		name  string
		lines []string
		want  site
	}{
		{"in init", append(append([]string{}, head...), " pool_init+0x75/0x1000 [pool]", " do_one_initcall+0xe7/0x220", " do_init_module+0xbf/0x2b0", " </TASK>"), siteInit},
		{"announcing", append(append([]string{}, head...), " kobject_uevent_env+0x126/0x3e7", " do_init_module+0x120/0x2b0", " load_module+0x270c/0x297d", " </TASK>"), siteAfter},
		{"loading", append(append([]string{}, head...), " mod_sysfs_setup+0x7a6/0x82b", " load_module+0x2674/0x297d", " </TASK>"), siteBefore},
		{"no report", []string{"pool: 4 buffers ready"}, siteUnknown},
	}
	for _, tc := range tests {
		if got := classify(tc.lines); got != tc.want {
			t.Errorf("%s: classify = %d, want %d", tc.name, got, tc.want)
		}
	}
}
