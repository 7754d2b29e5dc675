package agent

import (
	"fmt"
	"time"

	"github.com/lkmlab/lkmlab/lab/plan"
)

// faults is what an error-path sweep needs from the guest kernel besides
// Sys: its fault injection. The Linux implementation is in
// sweep_linux.go; tests use a fake.
type faults interface {
	// Available says why the kernel cannot inject allocation failures, or
	// nil when it can.
	Available() error
	// Arm sets the kernel's fault-injection knobs for a sweep and returns
	// how to set them back.
	Arm() (restore func(), err error)
	// Try loads s's module in a child process with the n-th allocation of
	// the load failing; n = 0 fails none.
	Try(s plan.Step, n int, timeout time.Duration, poll func() bool) try
}

// try is how one load of a sweep went.
type try struct {
	Result
	// Allocations is how many allocations the load made, when none was
	// made to fail (0 otherwise).
	Allocations int
	// Injected says the n-th allocation was made and failed.
	Injected bool
	// Where is the code whose allocation failed, from the stack the
	// kernel printed with it.
	Where site
}

// site is where an injected allocation failure happened in a load.
type site int

const (
	siteUnknown site = iota // no stack printed (a __GFP_NOWARN allocation)
	siteBefore              // loading the module, before its init ran
	siteInit                // in the module's init (do_one_initcall)
	siteAfter               // after init: announcing the module (do_init_module)
)

// beforeRun is how many loads in a row must fail an allocation of the
// kernel's own loading, before the module's init, to end a sweep: one
// could be a straggler, the count having shifted by one.
const beforeRun = 3

// countAll is the n a counting load fails at: never, in practice.
const countAll = 1 << 30

// sweepFaults is the kernel's fault injection; nil where the agent cannot
// use it (a build for another OS).
var sweepFaults faults

// runStep runs step s: an insmod with Sweep set as an error-path sweep,
// any other step as Sys.RunStep does.
func (a *Agent) runStep(s plan.Step, timeout time.Duration, poll func() bool) Result {
	if s.Action != plan.Insmod || s.Sweep != plan.SweepAllocations || sweepFaults == nil {
		return a.Sys.RunStep(s, timeout, poll)
	}
	return a.sweep(sweepFaults, s, timeout, poll)
}

// sweep makes every allocation of the module's init fail in turn: a load
// with none failing counts the load's allocations, then loads with the
// last, the one before, ... failing, back until the failing allocation is
// the kernel's own, made before the module's init ran. It ends with a
// load with none failing, whose result is the step's. The first load that
// is killed, hangs or makes the kernel report a failure ends the sweep
// instead. A load that succeeds with a failure injected (the module did
// without the memory) is unloaded before the next.
func (a *Agent) sweep(f faults, s plan.Step, timeout time.Duration, poll func() bool) Result {
	if err := f.Available(); err != nil {
		r := a.Sys.RunStep(s, timeout, poll)
		r.Error = joinNote(r.Error, "no sweep: "+err.Error())
		return r
	}
	restore, err := f.Arm()
	if err != nil {
		return Result{Status: plan.Failed, Error: "harness: sweep: " + err.Error()}
	}
	defer restore()
	sw := &sweeper{a: a, f: f, s: s, poll: poll, deadline: time.Now().Add(timeout), timeout: timeout,
		name: ModuleName(s.Path), taint: a.Sys.Taint()}
	return sw.run()
}

// sweeper is one sweep in progress.
type sweeper struct {
	a        *Agent
	f        faults
	s        plan.Step
	poll     func() bool
	deadline time.Time
	timeout  time.Duration
	name     string
	taint    uint64
	loads    int // with a failure injected in the module's init
}

func (sw *sweeper) run() Result {
	first, stop := sw.load(countAll)
	if stop {
		return first.Result
	}
	if first.Status != plan.OK {
		return first.Result // init fails with nothing injected: the step's result as it is
	}
	if r, stop := sw.unload(first); stop {
		return r
	}
	// A load may make an allocation or two more than the counted one
	// (the first load of a module makes its sysfs folders): start past
	// the end.
	before := 0
	for n := first.Allocations + 2; n >= 1; n-- {
		t, stop := sw.load(n)
		if stop {
			return t.Result
		}
		if t.Status == plan.OK {
			if r, stop := sw.unload(t); stop {
				return r
			}
		}
		if t.Injected && t.Where == siteBefore {
			before++
			if before == beforeRun {
				break // the kernel's own loading: the module's code is behind us
			}
			continue
		}
		if t.Injected && t.Where != siteUnknown {
			before = 0 // a load's allocations with no stack printed (kmemleak's own) say nothing
		}
		if t.Injected && t.Where == siteInit {
			sw.loads++
		}
	}
	last, _ := sw.load(0)
	last.Error = joinNote(last.Error, fmt.Sprintf("sweep: %d allocations of %d in the load failed in turn in the module's init",
		sw.loads, first.Allocations))
	return last.Result
}

// load runs one load with the n-th allocation failing; stop says the
// sweep must end with this load's result: it was killed or hung, the
// kernel reported a failure, or time is up.
func (sw *sweeper) load(n int) (try, bool) {
	left := time.Until(sw.deadline)
	if left <= 0 {
		return try{Result: Result{Status: plan.Hung, Error: fmt.Sprintf("the sweep did not finish within %v", sw.timeout)}}, true
	}
	t := sw.f.Try(sw.s, n, left, sw.poll)
	at := "sweep: the load with no allocation failing"
	if n > 0 && n < countAll {
		at = fmt.Sprintf("sweep: the load with allocation %d failing", n)
	}
	switch {
	case t.Status == plan.Killed || t.Status == plan.Hung:
		t.Error = at + ": " + t.Error
		return t, true
	case sw.a.Sys.Taint()&^sw.taint&failureTaint != 0:
		t.Error = joinNote(t.Error, at+": the kernel reported a failure")
		return t, true
	}
	return t, false
}

// unload removes the module a load left loaded; stop says it could not.
func (sw *sweeper) unload(t try) (Result, bool) {
	if err := sw.a.Sys.Unload(sw.name); err != nil {
		r := t.Result
		r.Error = joinNote(r.Error, fmt.Sprintf("sweep: could not unload the module between loads: %v", err))
		return r, true
	}
	return Result{}, false
}

// failureTaint are the taint flags the kernel sets when it reports a
// failure: B (bad page), D (oops), W (warning), L (soft lockup). Loading
// the module sets others (O, E) on its first load.
const failureTaint = 1<<5 | 1<<7 | 1<<9 | 1<<14

// joinNote appends note to msg.
func joinNote(msg, note string) string {
	if msg == "" {
		return note
	}
	return msg + "; " + note
}
