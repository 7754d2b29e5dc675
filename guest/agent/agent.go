// Package agent runs a plan inside the guest: plan -> one child process per
// step -> framed records on the channel to the host, then power-off.
package agent

import (
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/plan"
)

// Sys is what the agent needs from the guest kernel. The Linux
// implementation is in sys_linux.go; tests use a fake.
type Sys interface {
	Release() string
	UptimeUS() uint64
	Taint() uint64
	// LoadSupport loads a trusted module in-process (harness drivers).
	LoadSupport(path string) error
	// RunStep runs one step in a child process, so that an oops kills
	// the child and not the agent. While it waits it calls poll every few
	// milliseconds; when poll returns true the child is killed and the
	// step is Killed. It gives up after timeout.
	RunStep(s plan.Step, timeout time.Duration, poll func() bool) Result
	// Drain returns the kernel log records written since the last call
	// and how many were lost in between.
	Drain() (recs []kmsg.Record, lost int)
	// StartWorkload starts w in a child process and returns the facts it
	// reports, and how to stop it.
	// stop kills and reaps it, and returns how to tell whether its
	// address space was freed (nil when it could not be reaped).
	StartWorkload(w plan.Workload) (facts map[string]string, stop func() (freed func() bool), err error)
	// ProcFacts reads a process's memory sizes: vmsize_kb, vmrss_kb.
	ProcFacts(pid int) map[string]string
	// Loaded lists the modules in /proc/modules.
	Loaded() []string
	// ConsoleLevel sets which kernel messages reach the console (below level).
	ConsoleLevel(level int)
	// LeakClear forgets the leaks kmemleak knows of so far, and reports
	// whether the kernel has kmemleak.
	LeakClear() bool
	// LeakScan runs a kmemleak scan and returns its report and the
	// /proc/timer_list lines that date its objects.
	LeakScan() (report, clock string, err error)
}

// Result is how a step ended inside the guest.
type Result struct {
	Status plan.Status
	Errno  string
	Error  string
	// Freed tells whether the step process's address space was freed;
	// nil when the process was not reaped.
	Freed func() bool
}

// MaxLogRecords caps the log records carried per step, so a module that
// floods the log cannot stall the channel; the rest are counted as dropped.
const MaxLogRecords = 5000

// floodRecords is when a step counts as flooding the log: from there on
// only warnings and worse reach the (slow, emulated) console until the
// step ends; /dev/kmsg still carries everything to the cap.
const floodRecords = 2000

// Agent runs a plan and reports to Out.
type Agent struct {
	Sys  Sys
	Plan *plan.Plan
	Out  io.Writer

	live        []live // workloads of the running module
	supportErrs []string
	held        []heldCheck
	kmemleak    bool   // the kernel has kmemleak: scan after the steps
	lastEndUS   uint64 // when the last step ended
}

// Run prepares the guest and runs the plan's steps.
func (a *Agent) Run() error {
	a.Prepare()
	return a.RunSteps()
}

// Prepare loads the support modules and waits for the boot's kernel
// messages to settle: what a snapshot captures.
func (a *Agent) Prepare() {
	for _, p := range a.Plan.Support {
		if err := a.Sys.LoadSupport(p); err != nil {
			a.supportErrs = append(a.supportErrs, fmt.Sprintf("load %s: %v", filepath.Base(p), err))
		}
	}
	a.settle()
	a.kmemleak = a.Sys.LeakClear() // boot's own leaks belong to no step
}

// RunSteps runs every step and always ends with a Done record, unless
// writing to the channel fails.
func (a *Agent) RunSteps() error {
	ready := plan.Record{Kind: plan.Ready, Release: a.Sys.Release(), UptimeUS: a.Sys.UptimeUS(),
		Error: strings.Join(a.supportErrs, "; ")}
	if err := a.send(ready); err != nil {
		return err
	}
	broken := map[string]bool{}
	for i, s := range a.Plan.Steps {
		if broken[s.Module] {
			if err := a.send(plan.Record{Kind: plan.End, Step: i, Status: plan.Skipped}); err != nil {
				return err
			}
		} else {
			end, err := a.step(i, s)
			if err != nil {
				return err
			}
			// After a failed, killed or hung step the module's state is not
			// what its later steps assume (nothing loaded, or stuck loading).
			expected := end.Status == plan.Failed && s.Expect != "" && end.Errno == s.Expect
			if end.Status != plan.OK && !expected {
				broken[s.Module] = true
			}
			if a.Plan.Isolate && (end.Status == plan.Killed || end.Status == plan.Hung) && a.laterModule(i) {
				a.skipRest(i, s.Module)
				return a.finish(true)
			}
		}
		if a.lastOfModule(i) {
			if err := a.endModule(); err != nil {
				return err
			}
		}
	}
	return a.finish(false)
}

// finish stops the workloads (whose exit is when a forgotten reference
// turns into a leak), reports leaks, and sends Done.
func (a *Agent) finish(early bool) error {
	if err := a.endModule(); err != nil {
		return err
	}
	if a.kmemleak {
		if err := a.scanLeaks(); err != nil {
			return err
		}
	}
	return a.send(plan.Record{Kind: plan.Done, UptimeUS: a.Sys.UptimeUS(), Early: early})
}

// leakMinAge is how old kmemleak wants an object before it reports it
// (MSECS_MIN_AGE in mm/kmemleak.c is 5 s), with a margin. A variable for
// the tests.
var leakMinAge = 5200 * time.Millisecond

// scanLeaks waits until what the last step allocated is old enough for
// kmemleak to report, scans, and sends the report; the host attributes
// each object to the step during which it was allocated.
func (a *Agent) scanLeaks() error {
	if a.lastEndUS > 0 {
		if since := time.Duration(a.Sys.UptimeUS()-a.lastEndUS) * time.Microsecond; since < leakMinAge {
			time.Sleep(leakMinAge - since)
		}
	}
	report, clock, err := a.Sys.LeakScan()
	r := plan.Record{Kind: plan.Leaks, UptimeUS: a.Sys.UptimeUS(), Report: report, Clock: clock}
	if err != nil {
		r.Error = "kmemleak: " + err.Error()
	}
	return a.send(r)
}

// Boot work finishes asynchronously (the TSC is recalibrated a second
// after boot, and the clocksource switched): wait until the kernel log has
// been quiet for settleQuiet, at most settleMax, so that none of it is
// taken for a module's output. Boot messages belong to no step.
const (
	settleQuiet = 150 * time.Millisecond
	settleMax   = 2 * time.Second
)

func (a *Agent) settle() { a.settleFor(settleQuiet, settleMax) }

// A snapshot is restored many times: the guest saved must have no boot
// work in flight. Once, a 6.12 guest saved about 2 s after boot, close to
// the TSC clocksource switch, died of a double fault in a kworker on
// restore. Parking waits for a longer quiet, and for the kernel's delayed
// boot work (TSC refinement runs a second after boot) to have run.
const (
	parkQuiet   = 500 * time.Millisecond
	parkMinUp   = 3 * time.Second
	parkMaxWait = 10 * time.Second
)

// SettleForSnapshot waits until the guest is fit to be saved (see
// parkQuiet).
func (a *Agent) SettleForSnapshot() {
	start := time.Now()
	for time.Duration(a.Sys.UptimeUS())*time.Microsecond < parkMinUp && time.Since(start) < parkMaxWait {
		a.Sys.Drain()
		time.Sleep(20 * time.Millisecond)
	}
	a.settleFor(parkQuiet, parkMaxWait-time.Since(start))
}

func (a *Agent) settleFor(quiet, most time.Duration) {
	start, last := time.Now(), time.Now()
	for time.Since(start) < most && time.Since(last) < quiet {
		if recs, _ := a.Sys.Drain(); len(recs) > 0 {
			last = time.Now()
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (a *Agent) step(i int, s plan.Step) (plan.Record, error) {
	a.Sys.Drain() // anything between steps (workloads, timers) is not this step's
	if err := a.send(plan.Record{Kind: plan.Begin, Step: i, UptimeUS: a.Sys.UptimeUS()}); err != nil {
		return plan.Record{}, err
	}
	timeout := time.Duration(s.Timeout)
	if timeout <= 0 {
		timeout = plan.DefaultStepTimeout
	}
	facts, err := a.startWorkloads(i, s)
	if err == nil {
		s.Params, err = substitute(s.Params, facts)
	}
	if err != nil {
		end := plan.Record{Kind: plan.End, Step: i, Status: plan.Failed, Error: "harness: " + err.Error(), Facts: facts}
		return end, a.send(end)
	}
	before := a.snapshot()
	taint := a.Sys.Taint()
	start := time.Now()
	var log []kmsg.Record
	lost := 0
	died := false
	flooding := false
	collect := func() bool {
		recs, n := a.Sys.Drain()
		log, lost = append(log, recs...), lost+n
		died = died || taskDied(recs)
		if !flooding && len(log)+lost > floodRecords {
			flooding = true
			a.Sys.ConsoleLevel(5)
		}
		if len(log) > MaxLogRecords { // keep memory bounded while it floods
			lost += len(log) - MaxLogRecords
			log = log[:MaxLogRecords]
		}
		return died
	}
	res := a.Sys.RunStep(s, timeout, collect)
	if res.Freed != nil {
		a.held = append(a.held, heldCheck{step: i, freed: res.Freed,
			what: fmt.Sprintf("the step's own process (%s)", s.Action)})
	}
	ms := time.Since(start).Milliseconds()
	collect()
	if flooding {
		a.Sys.ConsoleLevel(8)
	}
	mergeSnapshots(facts, before, a.snapshot())
	a.lastEndUS = a.Sys.UptimeUS()
	end := plan.Record{Kind: plan.End, Step: i, UptimeUS: a.lastEndUS,
		Status: res.Status, Errno: res.Errno, Error: res.Error, MS: ms,
		TaintBefore: taint, TaintAfter: a.Sys.Taint(), Log: log, Dropped: lost,
		Facts: facts, Loaded: a.Sys.Loaded()}
	return end, a.send(end)
}

func (a *Agent) send(r plan.Record) error {
	b, err := plan.Frame(a.Plan.Nonce, r)
	if err != nil {
		return fmt.Errorf("encode %s record: %w", r.Kind, err)
	}
	if _, err := a.Out.Write(b); err != nil {
		return fmt.Errorf("send %s record: %w", r.Kind, err)
	}
	return nil
}

// dieHeader matches the first line of the kernel's die() report ("Oops:
// 0002 [#1] PREEMPT SMP", "invalid opcode: 0000 [#1] ...", "general
// protection fault ...: 0000 [#1] ..."). After it, the thread that hit the
// fault is gone, but a multi-threaded step process lives on without it and
// would never return.
var dieHeader = regexp.MustCompile(`: [0-9a-f]{4} \[#\d+\]`)

func taskDied(recs []kmsg.Record) bool {
	for _, r := range recs {
		if dieHeader.MatchString(r.Text) {
			return true
		}
	}
	return false
}

// lastOfModule reports whether step i is its module's last.
func (a *Agent) lastOfModule(i int) bool {
	for _, s := range a.Plan.Steps[i+1:] {
		if s.Module == a.Plan.Steps[i].Module {
			return false
		}
	}
	return true
}

// laterModule reports whether a step after i belongs to another module.
func (a *Agent) laterModule(i int) bool {
	for _, s := range a.Plan.Steps[i+1:] {
		if s.Module != a.Plan.Steps[i].Module {
			return true
		}
	}
	return false
}

// skipRest reports the module's own remaining steps as skipped; other
// modules' steps are left unreported, for the host to run in a new VM.
func (a *Agent) skipRest(i int, module string) {
	for j := i + 1; j < len(a.Plan.Steps); j++ {
		if a.Plan.Steps[j].Module == module {
			_ = a.send(plan.Record{Kind: plan.End, Step: j, Status: plan.Skipped})
		}
	}
}
