package check

import (
	"slices"
	"testing"

	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/lkmlab/lkmlab/lab/result"
)

// reusePlan is a VM that loads running, then heap at the address
// running's freed code had (the kernel gives it to the next module), then
// ksp: the shape of real2's jamal-wright, whose heap left a kernel thread
// that woke in its freed code. The addresses and lines are hand-written.
func reusePlan() *vmPlan {
	var steps []plan.Step
	var owners []int
	for i, m := range []string{"running", "heap", "ksp"} {
		steps = append(steps, plan.Step{Module: m, Action: plan.Insmod}, plan.Step{Module: m, Action: plan.Rmmod})
		owners = append(owners, i, i)
	}
	return &vmPlan{p: &plan.Plan{Steps: steps}, owners: owners,
		pending: []built{{index: 0, ko: "running.ko"}, {index: 1, ko: "heap.ko"}, {index: 2, ko: "ksp.ko"}}}
}

const reused = 0xffffffffc0520000

var reuseRanges = []codeRange{
	{owner: 0, loadedAt: 0, start: reused, end: reused + 0x1000},
	{owner: 1, loadedAt: 2, start: reused, end: reused + 0x1000},
	{owner: 2, loadedAt: 4, start: reused + 0x4000, end: reused + 0x5000},
}

func fault(addr string) *kmsg.Failure {
	return &kmsg.Failure{Kind: kmsg.Oops, Title: "BUG: unable to handle page fault for address: " + addr,
		Lines: []string{"BUG: unable to handle page fault for address: " + addr, "RIP: 0010:0x" + addr}}
}

// freedFault is fault with the page-fault line that says the page was not
// there: the module's memory was freed.
func freedFault(addr string) *kmsg.Failure {
	f := fault(addr)
	f.Lines = append(f.Lines, "#PF: error_code(0x0010) - not-present page")
	return f
}

// reuseReport is every step passed, but for the one at (module, step),
// which returned with status and had f in its log.
func reuseReport(module, step int, status plan.Status, f *kmsg.Failure) *result.Report {
	r := &result.Report{}
	for _, name := range []string{"running", "heap", "ksp"} {
		ok := result.Step{Verdict: result.Pass, Status: string(plan.OK), OutputOK: true, TruthOK: true, Clean: true}
		r.Modules = append(r.Modules, result.Module{Name: name, Verdict: result.Pass, Steps: []result.Step{ok, ok}})
	}
	s := &r.Modules[module].Steps[step]
	s.Verdict, s.Cause, s.Status, s.Clean, s.Failures = result.Crash, result.KernelFailure, string(status), false, []*kmsg.Failure{f}
	return r
}

func TestAttributeReusedAddress(t *testing.T) {
	type want struct {
		module, step int
		cause        result.Cause
	}
	for _, tc := range []struct {
		name           string
		module, step   int
		status         plan.Status
		addr           string
		freed          bool // the report says the page was not present
		charged        want // the step that carries the failure after attribution
		victims        []int
		innocentModule int // a module that must stay clean (-1: none)
	}{
		{"heap's thread faults after its own rmmod returned", 1, 1, plan.OK, "ffffffffc0520083", false,
			want{1, 1, result.LeftRunning}, nil, 0},
		{"heap's thread faults in its freed code before its rmmod's result came", 1, 1, "", "ffffffffc0520083", true,
			want{1, 1, result.LeftRunning}, nil, 0},
		{"heap's thread faults during ksp's insmod", 2, 0, plan.OK, "ffffffffc0520083", false,
			want{1, 1, result.LeftRunning}, []int{2}, 0},
		{"running's leftover faults before heap is loaded there", 0, 1, plan.OK, "ffffffffc0520083", false,
			want{0, 1, result.LeftRunning}, nil, 1},
		{"heap faults in its own init: a crash of the step", 1, 0, plan.Killed, "ffffffffc0520083", true,
			want{1, 0, result.KernelFailure}, nil, 0},
		{"a fault in ksp's own code on its rmmod's way out stays ksp's crash", 2, 1, plan.Killed, "ffffffffc0524010", false,
			want{2, 1, result.KernelFailure}, nil, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fault(tc.addr)
			if tc.freed {
				f = freedFault(tc.addr)
			}
			r := reuseReport(tc.module, tc.step, tc.status, f)
			victims := attribute(reusePlan(), reuseRanges, r)
			if !slices.Equal(victims, tc.victims) {
				t.Errorf("victims %v, want %v", victims, tc.victims)
			}
			s := r.Modules[tc.charged.module].Steps[tc.charged.step]
			if s.Verdict != result.Crash || s.Cause != tc.charged.cause || len(s.Failures) == 0 {
				t.Fatalf("%s step %d: %s %s with %d failures, want crash %s: %q", r.Modules[tc.charged.module].Name,
					tc.charged.step, s.Verdict, s.Cause, len(s.Failures), tc.charged.cause, s.Reason)
			}
			if tc.charged.cause == result.LeftRunning && (!s.OutputOK || len(s.Findings) == 0 || s.Findings[0].Kind != result.Lingering) {
				t.Errorf("left running: output %v, findings %v; want the output kept and a lingering finding", s.OutputOK, s.Findings)
			}
			if tc.innocentModule >= 0 {
				for i, s := range r.Modules[tc.innocentModule].Steps {
					if s.Verdict != result.Pass {
						t.Errorf("%s step %d charged: %s %q", r.Modules[tc.innocentModule].Name, i, s.Verdict, s.Reason)
					}
				}
			}
		})
	}
}
