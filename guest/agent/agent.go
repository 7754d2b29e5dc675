// Package agent runs a plan inside the guest: the host's commands, one at
// a time -> one child process per step -> framed records on the channel to
// the host, each marked with the nonce of the command it answers.
package agent

import (
	"bufio"
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
	// Mark writes a line of the agent's own into the kernel log. A new
	// record ends the one before it: a module's last line without a
	// newline, which the kernel holds back until the next message, is
	// then read in its own step.
	Mark(text string)
	// Sections reads a loaded module's section addresses.
	Sections(module string) map[string]uint64
	// Unload removes a loaded module (a probe's cleanup).
	Unload(module string) error
	// PidFloor makes the kernel's next pids start above n.
	PidFloor(n int)
	// KernelBusy reports whether a kernel thread is runnable (work the
	// kernel has not done yet, such as a thread a module just started).
	KernelBusy() bool
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

// Agent runs a plan as the host commands and reports to Out.
type Agent struct {
	Sys  Sys
	Plan *plan.Plan
	Out  io.Writer
	// In carries the host's commands.
	In *bufio.Reader

	live          []live // workloads of the running module
	supportErrs   []string
	supportLoaded bool
	held          []heldCheck
	kmemleak      bool   // the kernel has kmemleak: scan after the steps
	lastEndUS     uint64 // when the last step ended
}

// Run prepares the guest and serves the host's commands.
func (a *Agent) Run() error {
	a.Prepare()
	return a.Serve()
}

// LoadSupport loads the plan's support modules, once: the drivers of
// the agent's own channel among them (arm64's virtio console), so it
// runs before the channel is opened.
func (a *Agent) LoadSupport() {
	if a.supportLoaded {
		return
	}
	a.supportLoaded = true
	for _, p := range a.Plan.Support {
		if err := a.Sys.LoadSupport(p); err != nil {
			a.supportErrs = append(a.supportErrs, fmt.Sprintf("load %s: %v", filepath.Base(p), err))
		}
	}
}

// Prepare loads the support modules (if LoadSupport has not) and waits
// for the boot's kernel messages to settle: what a snapshot captures.
func (a *Agent) Prepare() {
	a.LoadSupport()
	a.settle()
	a.kmemleak = a.Sys.LeakClear() // boot's own leaks belong to no step
}

// Serve says Ready, then runs one command after another until the host
// asks it to finish. It returns when the run is over or the channel fails.
func (a *Agent) Serve() error {
	a.Sys.Mark(plan.ReadyMark)
	ready := plan.Record{Kind: plan.Ready, Release: a.Sys.Release(), UptimeUS: a.Sys.UptimeUS(),
		Error: strings.Join(a.supportErrs, "; ")}
	if err := a.send(a.Plan.Nonce, ready); err != nil {
		return err
	}
	for {
		c, err := plan.ReadCommand(a.In)
		if err != nil {
			return fmt.Errorf("read command: %w", err)
		}
		var done bool
		switch c.Op {
		case plan.OpStep:
			err = a.step(c)
		case plan.OpEndModule:
			err = a.endModule(c)
		case plan.OpFinish:
			err, done = a.finish(c), true
		case plan.OpShell:
			err, done = a.shell(c), true
		default:
			err = a.send(c.Nonce, plan.Record{Kind: plan.Fatal, Error: fmt.Sprintf("unknown command %q", c.Op)})
		}
		if err != nil || done {
			return err
		}
	}
}

// finish stops any workloads still running, reports leaks where the
// kernel has kmemleak, and sends Done.
func (a *Agent) finish(c plan.Command) error {
	a.stopWorkloads()
	time.Sleep(min(time.Duration(c.Linger), plan.MaxLinger))
	if a.kmemleak {
		if err := a.scanLeaks(c.Nonce); err != nil {
			return err
		}
	}
	a.Sys.Mark(plan.DoneMark)
	return a.send(c.Nonce, plan.Record{Kind: plan.Done, UptimeUS: a.Sys.UptimeUS()})
}

// leakMinAge is how old kmemleak wants an object before it reports it
// (MSECS_MIN_AGE in mm/kmemleak.c is 5 s), with a margin. A variable for
// the tests.
var leakMinAge = 5200 * time.Millisecond

// scanLeaks waits until what the last step allocated is old enough for
// kmemleak to report, scans, and sends the report; the host attributes
// each object to the step during which it was allocated.
func (a *Agent) scanLeaks(nonce string) error {
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
	return a.send(nonce, r)
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

func (a *Agent) step(c plan.Command) error {
	if c.Step < 0 || c.Step >= len(a.Plan.Steps) {
		return a.send(c.Nonce, plan.Record{Kind: plan.Fatal, Step: c.Step, Error: fmt.Sprintf("no step %d", c.Step)})
	}
	i, s := c.Step, a.Plan.Steps[c.Step]
	a.Sys.Drain() // anything between steps (workloads, timers) is not this step's
	// The marks at the step's start and end are where its window lies on
	// the console, in the kernel log's own clock.
	a.Sys.Mark(plan.BeginMark(i))
	if err := a.send(c.Nonce, plan.Record{Kind: plan.Begin, Step: i, UptimeUS: a.Sys.UptimeUS()}); err != nil {
		return err
	}
	if c.PidFloor > 0 && len(s.Start) > 0 {
		a.Sys.PidFloor(c.PidFloor)
	}
	facts, err := a.startWorkloads(i, s, c.Args)
	if err == nil {
		s.Params, err = substitute(s.Params, facts)
	}
	if err != nil {
		// The step's window closes as any other's, and its record carries
		// what the kernel printed meanwhile: the console witness holds.
		a.Sys.Mark(plan.EndMark(i))
		log, lost := a.Sys.Drain()
		end := plan.Record{Kind: plan.End, Step: i, Status: plan.Failed, Error: "harness: " + err.Error(), Facts: facts,
			Log: log, Dropped: lost}
		return a.send(c.Nonce, end)
	}
	end := a.run(i, s, facts)
	return a.send(c.Nonce, end)
}

// run runs step i and collects everything the End record says.
func (a *Agent) run(i int, s plan.Step, facts map[string]string) plan.Record {
	timeout := time.Duration(s.Timeout)
	if timeout <= 0 {
		timeout = plan.DefaultStepTimeout
	}
	before := a.snapshot()
	taint := a.Sys.Taint()
	start := time.Now()
	col := &collector{sys: a.Sys, taintBefore: taint}
	res := a.runStep(s, timeout, col.collect)
	if res.Freed != nil {
		a.held = append(a.held, heldCheck{step: i, freed: res.Freed,
			what: fmt.Sprintf("the step's own process (%s)", s.Action)})
	}
	ms := time.Since(start).Milliseconds()
	if (s.Action == plan.Rmmod || s.Action == plan.Insmod) && res.Status == plan.OK && a.Plan.Quiet > 0 {
		col.quiet(time.Duration(a.Plan.Quiet))
	}
	name := ModuleName(s.Path)
	end := plan.Record{Kind: plan.End, Step: i, Status: res.Status, Errno: res.Errno, Error: res.Error, MS: ms,
		TaintBefore: taint, Facts: facts}
	if s.Action == plan.Insmod && res.Status == plan.OK {
		end.Sections = a.Sys.Sections(name)
	}
	// Whatever the log holds up to now is the step's: read the clock, then
	// end any line the module left open, then drain.
	end.UptimeUS = a.Sys.UptimeUS()
	a.Sys.Mark(plan.EndMark(i))
	col.collect()
	col.done()
	end.Log, end.Dropped = col.log, col.lost
	end.TaintAfter = a.Sys.Taint()
	mergeSnapshots(facts, before, a.snapshot())
	end.Loaded = a.Sys.Loaded()
	if s.Cleanup && res.Status == plan.OK && contains(end.Loaded, name) {
		end.Cleanup = "unloaded"
		if err := a.Sys.Unload(name); err != nil {
			end.Cleanup = "could not unload: " + err.Error()
		}
	}
	a.lastEndUS = a.Sys.UptimeUS()
	return end
}

// collector gathers a step's kernel log while it runs, and turns the
// console down to warnings while the module floods it.
type collector struct {
	sys         Sys
	taintBefore uint64
	header      bool // an oops header was read
	log         []kmsg.Record
	lost        int
	died        bool
	flooding    bool
}

func (c *collector) collect() bool {
	recs, n := c.sys.Drain()
	c.log, c.lost = append(c.log, recs...), c.lost+n
	// A module can print an oops header; only the kernel sets taint D,
	// which die() does after the header: once a header was seen, every
	// poll looks at the taint.
	c.header = c.header || taskDied(recs)
	c.died = c.died || c.header && c.sys.Taint()&^c.taintBefore&taintDie != 0
	if !c.flooding && len(c.log)+c.lost > floodRecords {
		c.flooding = true
		c.sys.ConsoleLevel(5)
	}
	if len(c.log) > MaxLogRecords { // keep memory bounded while it floods
		c.lost += len(c.log) - MaxLogRecords
		c.log = c.log[:MaxLogRecords]
	}
	return c.died
}

// quietMax bounds quiet: a kernel thread that never stops running (a
// module's busy loop) ends the wait here.
const quietMax = 2 * time.Second

// quiet keeps collecting for d after an insmod or rmmod, so that what the
// module started or left behind (a thread, a timer, work) prints inside
// its own step, and on after d while a kernel thread is still runnable: on
// a loaded host the guest runs slowly and a thread the module started may
// not have had its turn yet. At most quietMax.
func (c *collector) quiet(d time.Duration) {
	start := time.Now()
	for {
		c.collect()
		el := time.Since(start)
		if el >= quietMax || el >= d && !c.sys.KernelBusy() {
			c.collect()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (c *collector) done() {
	if c.flooding {
		c.sys.ConsoleLevel(8)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (a *Agent) send(nonce string, r plan.Record) error {
	b, err := plan.Frame(nonce, r)
	if err != nil {
		return fmt.Errorf("encode %s record: %w", r.Kind, err)
	}
	if _, err := a.Out.Write(b); err != nil {
		return fmt.Errorf("send %s record: %w", r.Kind, err)
	}
	return nil
}

// taintDie is taint flag D, which die() sets: an oops happened.
const taintDie = 1 << 7

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
