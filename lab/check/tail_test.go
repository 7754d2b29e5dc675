package check

import (
	"testing"

	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/lkmlab/lkmlab/lab/result"
)

// TestChargeTail: an oops after the VM's last step (a timer the module
// left at rmmod, firing while the agent lingered) is charged to the
// module, on its last step, as code left running; a quiet tail charges
// nothing. (The console lines are written for this test.)
func TestChargeTail(t *testing.T) {
	const oops = `[    8.186876] BUG: unable to handle page fault for address: ffffffffc057e3c8
[    8.187000] #PF: supervisor write access in kernel mode
[    8.188765] Oops: 0002 [#1] PREEMPT SMP NOPTI
[    8.189296] RIP: 0010:__run_timers+0xd3/0x2c0
[    8.190209] Kernel panic - not syncing: Fatal exception in interrupt`
	steps := `[    7.025673] lkmlab: step 0 begins
[    7.100000] Hello World from a module
[    7.234075] lkmlab: end of step 0
[    7.257569] lkmlab: step 1 begins
[    7.300000] Bye from a module
[    7.689040] lkmlab: end of step 1
`
	for _, tc := range []struct {
		name, tail string
		want       result.Cause
	}{
		{"a timer fires into freed code", oops, result.LeftRunning},
		{"a quiet end", "[    8.0] lkmlab: done", ""},
		// The end-of-run leak scan's notice is attributeLeaks', not a fault.
		{"kmemleak's scan", "[    9.100000] kmemleak: 8 new suspected memory leaks (see /sys/kernel/debug/kmemleak)\n[    9.2] lkmlab: done", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &plan.Plan{Steps: []plan.Step{{Module: "hello", Action: plan.Insmod}, {Module: "hello", Action: plan.Rmmod}}}
			v := &vmPlan{p: p, pending: []built{{index: 0}}, owners: []int{0, 0}}
			recs := newRecords()
			for i := range p.Steps {
				recs.begin[i], recs.end[i] = &plan.Record{Kind: plan.Begin}, &plan.Record{Kind: plan.End, Status: plan.OK}
			}
			r := &result.Report{Modules: []result.Module{{Name: "hello", Steps: []result.Step{
				{Name: "insmod hello", Verdict: result.Pass}, {Name: "rmmod hello", Verdict: result.Pass}}}}}
			console := kmsg.ParseLines(steps + tc.tail)
			chargeTail(v, recs, console, r)
			if got := r.Modules[0].Steps[1].Cause; got != tc.want {
				t.Fatalf("rmmod hello: cause %q, want %q (%s)", got, tc.want, r.Modules[0].Steps[1].Reason)
			}
		})
	}
}
