package check

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lkmlab/lkmlab/lab/initramfs"
	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/ko"
	"github.com/lkmlab/lkmlab/lab/leak"
	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/symbol"
	"github.com/lkmlab/lkmlab/lab/verdict"
	"github.com/lkmlab/lkmlab/lab/vm"
)

// bootAllowance is the VM time beyond the steps' own timeouts: boot and
// power-off under TCG take a few seconds, a slow CI runner more.
const bootAllowance = 60 * time.Second

// boot runs the pending modules in one VM, records their verdicts in r,
// and returns the modules that must run again in a fresh VM: those that
// never started because the VM ended first, and those a crash of another
// module interrupted.
func (rn *runner) boot(pending []built) ([]built, error) {
	o, r := rn.o, rn.r
	v := rn.makePlan(pending)
	image := o.Kernel.Image
	if o.Baseline || !o.Cold && o.Kernel.BzImage != "" {
		// A saved guest boots once, from the compressed image, whose own
		// decompressor randomizes the kernel's layout (KASLR; the PVH
		// entry of the uncompressed one skips it): each machine's saved
		// guest puts kernel stacks and the direct map elsewhere, so a
		// module cannot print addresses it saw on another machine.
		image = o.Kernel.BzImage
	}
	timeout := o.VMTimeout
	if timeout == 0 {
		timeout = bootAllowance + stepsBudget(v.p)
	}
	v.vo = vm.Options{Arch: o.Kernel.Arch, Kernel: image, Accel: o.Accel, Plain: o.Baseline,
		Timeout: timeout, Console: o.Console, Logf: o.Logf}
	o.Logf("run %d module(s) on %s, %s", len(pending), o.Kernel.Release, o.Accel.Name)
	var res *vm.Result
	var d *driver
	var err error
	if o.Cold || o.Baseline {
		res, d, err = rn.bootCold(v)
	} else {
		res, d, err = rn.bootSnapshot(v)
	}
	if err != nil {
		return nil, err
	}
	rn.saveLogs(r.Boots-1, res)
	if d.recs.ready == nil {
		return nil, notStarted(res)
	}
	addTiming(&r.Timing, res, d.recs)
	return judgeAll(v, d, res, r), nil
}

// vmPlan is what one VM runs: its modules, their plan and files, the
// VM's options, and how to make a driver for it (one per attempt).
type vmPlan struct {
	pending []built
	p       *plan.Plan
	owners  []int // step -> position of its module in pending
	files   []initramfs.File
	args    map[int]map[string]map[string]string
	floors  map[int]int
	vo      vm.Options
	isolate bool
	lingers []time.Duration // by position in pending: Target.Linger
	logf    func(string, ...any)
}

func (v *vmPlan) newDriver() *driver {
	return &driver{p: v.p, owners: v.owners, args: v.args, floors: v.floors, isolate: v.isolate, lingers: v.lingers,
		logf: v.logf}
}

// bootCold boots a guest whose initramfs carries the plan and modules.
func (rn *runner) bootCold(v *vmPlan) (*vm.Result, *driver, error) {
	t0 := time.Now()
	img := filepath.Join(rn.work, fmt.Sprintf("initramfs-%d.cpio", rn.r.Boots))
	if err := initramfs.Write(initramfs.Spec{Agent: rn.agent, Plan: v.p, Files: v.files, Gzip: rn.o.Baseline}, img); err != nil {
		return nil, nil, err
	}
	rn.r.Timing.Initramfs += time.Since(t0)
	vo := v.vo
	vo.Initramfs = img
	return rn.bootOnceMore(vo, v.newDriver)
}

// bootOnceMore runs the VM, and runs it once more when the guest did not
// start: a guest stuck in boot, before any module ran, says nothing about
// the modules.
func (rn *runner) bootOnceMore(vo vm.Options, newDriver func() *driver) (*vm.Result, *driver, error) {
	rn.r.Boots++
	d := newDriver()
	vo.Driver = d
	res, err := vm.Run(rn.ctx, vo)
	if err == nil && res.NoBoot {
		rn.o.Logf("boot: the guest did not start (QEMU status %q); booting again", res.Status)
		rn.saveLogs(rn.r.Boots-1, res)
		rn.r.Boots++
		d = newDriver()
		vo.Driver = d
		res, err = vm.Run(rn.ctx, vo)
	}
	return res, d, err
}

// makePlan lays out the steps of every pending module: owners maps each
// step to its module's position in pending, args holds the workload
// values drawn for each step (sent with the step's command, never in the
// plan).
func (rn *runner) makePlan(pending []built) *vmPlan {
	rng := rn.rng
	p := &plan.Plan{Nonce: plan.NewNonce(), Quiet: plan.Duration(rn.o.Quiet)}
	files := append([]initramfs.File(nil), rn.support...)
	for _, f := range rn.support {
		p.Support = append(p.Support, f.Guest)
	}
	var owners []int
	var lingers []time.Duration
	args := map[int]map[string]map[string]string{}
	for i, b := range pending {
		lingers = append(lingers, b.target.Linger)
		guest := "/lkm/" + filepath.Base(b.ko)
		files = append(files, initramfs.File{Host: b.ko, Guest: guest})
		for _, st := range b.target.Spec.Steps {
			d, _ := st.TimeoutDuration()
			var start []plan.Workload
			drawn := map[string]map[string]string{}
			for _, w := range st.Start {
				start = append(start, plan.Workload{Name: w.Name, Kind: w.Kind})
				drawn[w.Name] = drawArgs(w.Kind, rng)
			}
			if len(drawn) > 0 {
				args[len(p.Steps)] = drawn
			}
			p.Steps = append(p.Steps, plan.Step{Module: b.target.Name, Action: plan.Action(st.Action), Label: st.Name,
				Path: guest, Params: b.target.params(st), Timeout: plan.Duration(d), Start: start, Cleanup: st.Probe, Sweep: st.Sweep})
			owners = append(owners, i)
		}
	}
	return &vmPlan{pending: pending, p: p, owners: owners, files: files, args: args,
		floors: drawPidFloors(p, rng), isolate: rn.o.Isolate, lingers: lingers, logf: rn.o.Logf}
}

// drawPidFloors draws, for each step that starts workloads, where their
// pids start: a module cannot print a pid it saw in an earlier run.
func drawPidFloors(p *plan.Plan, rng *rand.Rand) map[int]int {
	out := map[int]int{}
	for i, s := range p.Steps {
		if len(s.Start) > 0 {
			out[i] = 300 + rng.IntN(24000)
		}
	}
	return out
}

func stepsBudget(p *plan.Plan) time.Duration {
	var d time.Duration
	for _, s := range p.Steps {
		if s.Timeout > 0 {
			d += time.Duration(s.Timeout)
		} else {
			d += plan.DefaultStepTimeout
		}
	}
	return d
}

// notStarted explains a guest that never reported.
func notStarted(res *vm.Result) error {
	tail := res.Console[max(0, len(res.Console)-20):]
	why := "the guest agent never reported"
	if res.TimedOut {
		why += " (the host ended the VM at its timeout)"
	}
	if res.ExitErr != nil {
		why += fmt.Sprintf(" (QEMU: %v)", res.ExitErr)
	}
	return fmt.Errorf("boot: %s; last console lines:\n  %s\nreproduce with (check --work DIR keeps the files it names): %s",
		why, strings.Join(tail, "\n  "), vm.Reproduce(res.Args, "channel.out", ""))
}

// addTiming adds one VM's stages to t. Boot and Restore are on the
// host's clock; Steps and its parts on the guest's (the records' uptime),
// which a restored guest carries on from where it was saved.
func addTiming(t *result.Timing, res *vm.Result, recs *records) {
	boot := res.FirstByte
	t.Boot += boot
	t.Restore += res.Loaded
	if recs.done == nil {
		return // no Steps, and StepWork and Finish are parts of Steps
	}
	done := recs.done.UptimeUS
	steps := usec(done - recs.ready.UptimeUS)
	t.Steps += steps
	t.Shutdown += max(0, res.Duration-boot-steps)
	var last uint64 // the latest end record before done
	for i, e := range recs.end {
		if e == nil || e.UptimeUS > done {
			continue
		}
		last = max(last, e.UptimeUS)
		if b := recs.begin[i]; b != nil && b.UptimeUS <= e.UptimeUS {
			t.StepWork += usec(e.UptimeUS - b.UptimeUS)
		}
	}
	if last > 0 {
		t.Finish += usec(done - last)
	}
}

// usec is a span of the guest's clock, in its records' microseconds.
func usec(us uint64) time.Duration { return time.Duration(us) * time.Microsecond }

func judgeAll(v *vmPlan, d *driver, res *vm.Result, r *result.Report) []built {
	pending, p, owners, recs := v.pending, v.p, v.owners, d.recs
	console := kmsg.ParseLines(strings.Join(res.Console, "\n"))
	leaks := attributeLeaks(p, recs, r)
	seen := witness(p, recs, console)
	wins := windows(console, len(p.Steps))
	r.Tampering = append(r.Tampering, recs.tamper[-1]...)
	started := make([]bool, len(pending))
	for i := range p.Steps {
		if recs.begin[i] != nil || recs.end[i] != nil {
			started[owners[i]] = true
		}
	}
	var rest []built
	for i, b := range pending {
		if !started[i] {
			rest = append(rest, b)
			continue
		}
		m := &r.Modules[b.index]
		m.Steps = nil
		for si, st := range p.Steps {
			if owners[si] != i {
				continue
			}
			spec := b.target.Spec.Steps[len(m.Steps)]
			m.Steps = append(m.Steps, verdict.Judge(verdict.Input{Name: st.Name(), Spec: spec, Params: st.Params,
				KernelName: kernelName(b.ko),
				Begin:      recs.begin[si], End: recs.end[si], Skip: recs.skipped[si], Console: stepConsole(console, wins, si, recs.begin[si]),
				HostDeadline: recs.deadline[si], Halted: d.halted, GuestStatus: cmp.Or(d.status, res.Status),
				Tamper: append(recs.tamper[si], seen[si]...), Leaks: leaks[si], Held: recs.held[si]}))
		}
		afterCrash(m)
		locateFailures(m, b)
		explainBusy(m, b.ko)
		m.Summarize()
	}
	chargeTail(v, recs, console, r)
	for _, vi := range attributeCrashes(v, recs, r) {
		if b := pending[vi]; !b.rerun {
			b.rerun = true
			r.Modules[b.index].Summarize()
			rest = append(rest, b)
		}
	}
	return rest
}

// stepConsole is what the kernel printed for a step that never reported:
// the console from the end of the step before (a report that began
// between the two steps, a timer firing, runs into this one's) to this
// step's end mark, if it came. Without the marks, the lines stamped after
// the step began.
func stepConsole(console []kmsg.Line, wins map[int]window, si int, begin *plan.Record) []kmsg.Line {
	if w, ok := wins[si]; ok {
		from := w.from
		for from > 0 && !strings.HasPrefix(console[from-1].Text, "lkmlab: ") {
			from--
		}
		return console[from:w.to]
	}
	if begin == nil {
		return nil
	}
	var out []kmsg.Line
	for _, l := range console {
		if l.HasTime && l.TimeUS >= begin.UptimeUS {
			out = append(out, l)
		}
	}
	return out
}

// attributeLeaks gives each step the objects kmemleak found that were
// allocated while it ran (from its begin record to its end record).
func attributeLeaks(p *plan.Plan, recs *records, r *result.Report) map[int][]leak.Object {
	if recs.leaks == nil {
		return nil
	}
	r.LeakScans++
	if recs.leaks.Error != "" {
		r.LeakErrors = append(r.LeakErrors, recs.leaks.Error)
		return nil
	}
	clock, err := leak.ParseTimerList(recs.leaks.Clock)
	if err != nil {
		r.LeakErrors = append(r.LeakErrors, "kmemleak: "+err.Error())
		return nil
	}
	var windows []leak.Window
	for i := range p.Steps {
		if b, e := recs.begin[i], recs.end[i]; b != nil && e != nil && e.UptimeUS > 0 {
			windows = append(windows, leak.Window{Step: i, StartUS: b.UptimeUS, EndUS: e.UptimeUS})
		}
	}
	byStep, _ := leak.Attribute(leak.Parse(recs.leaks.Report), clock, windows)
	return byStep
}

// afterCrash marks the steps after a step that ended the VM as skipped:
// they never ran, and the crash is already the module's verdict.
func afterCrash(m *result.Module) {
	for i, s := range m.Steps {
		if s.Verdict != result.Crash && s.Verdict != result.Timeout {
			continue
		}
		for j := i + 1; j < len(m.Steps); j++ {
			if m.Steps[j].Cause == result.NeverBegan {
				m.Steps[j].Verdict = result.Skipped
				m.Steps[j].Cause = result.AfterFailed
				m.Steps[j].Reason = "an earlier step of this module crashed or hung"
			}
		}
		return
	}
}

// saveLogs keeps what the VM said next to its initramfs, so a run can be
// parsed again (lkmlab parse) or attached to a bug report.
func (rn *runner) saveLogs(n int, res *vm.Result) {
	work, logf := rn.work, rn.o.Logf
	repro := vm.Reproduce(res.Args, filepath.Join(work, fmt.Sprintf("channel-%d.out", n)), rn.states[n])
	files := map[string][]byte{
		fmt.Sprintf("console-%d.log", n):  []byte(strings.Join(res.Console, "\n") + "\n"),
		fmt.Sprintf("channel-%d.log", n):  res.Channel,
		fmt.Sprintf("qemu-%d.cmdline", n): []byte(repro + "\n"),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(work, name), b, 0o644); err != nil {
			logf("save %s: %v", name, err)
		}
	}
}

// kernelName is the module's name in /proc/modules: the .ko's base name
// with dashes as underscores.
func kernelName(ko string) string {
	return strings.ReplaceAll(strings.TrimSuffix(filepath.Base(ko), ".ko"), "-", "_")
}

// locateFailures finds, for each kernel failure in a module's own code, the
// source line, through the .ko's debug info; the build copy's paths are
// turned back into the module folder's.
func locateFailures(m *result.Module, b built) {
	name := kernelName(b.ko)
	type at struct{ step, failure int }
	var frames []symbol.Frame
	var where []at
	for si := range m.Steps {
		for fi, f := range m.Steps[si].Failures {
			if fr, ok := firstFrame(f, name); ok {
				frames, where = append(frames, fr), append(where, at{si, fi})
			}
		}
	}
	if len(frames) == 0 {
		return
	}
	// One addr2line for every frame, under a deadline: a flood of
	// failures costs one bounded call, not one each.
	locs, _ := symbol.LocateAll(context.Background(), b.ko, frames)
	for i, w := range where {
		if i >= len(locs) || !locs[i].Found() {
			continue
		}
		s := &m.Steps[w.step]
		f := s.Failures[w.failure]
		// Code a kernel header inlined (kmalloc, rcu_read_lock) is placed
		// at the module's own line that used it.
		loc := locs[i].Within(b.builtIn)
		file := strings.Replace(loc.File, b.builtIn, filepath.Clean(b.target.Dir), 1)
		f.Source = fmt.Sprintf("%s:%d (%s)", file, loc.Line, loc.Func)
		if s.Cause == result.KernelFailure && s.Failures[0] == f {
			s.Reason = f.Error() // the reason is this failure: now with its source line
		}
	}
}

// explainBusy says why an rmmod failed with EBUSY when the module has no
// exit function: the kernel refuses to unload a module without one.
func explainBusy(m *result.Module, path string) {
	for i := range m.Steps {
		s := &m.Steps[i]
		if s.Errno != "EBUSY" || !strings.HasPrefix(s.Name, "rmmod") {
			continue
		}
		k, err := ko.Open(path)
		if err != nil {
			return
		}
		for _, f := range k.Functions {
			if f.Name == "cleanup_module" {
				return
			}
		}
		s.Reason += "\nthe module has no exit function (module_exit): the kernel cannot unload a module without one"
		return
	}
}

// firstFrame is the failure's first frame in the module (RIP first, then
// the call trace).
func firstFrame(f *kmsg.Failure, name string) (symbol.Frame, bool) {
	var best symbol.Frame
	bestRank := -1
	for _, l := range f.Lines {
		fr, ok := symbol.ParseFrame(l)
		if !ok || strings.ReplaceAll(fr.Module, "-", "_") != name {
			continue
		}
		if r := frameRank(l, fr); bestRank < 0 || r < bestRank {
			best, bestRank = fr, r
		}
	}
	return best, bestRank >= 0
}

// frameRank orders a report's frames in the module by how well they say
// where it went wrong: the trapping or warning instruction, then a
// reliable call trace frame, then an unreliable one ("? f+0x1/0x2"), then
// where a lock still held was taken (lockdep's "at:"), which names the
// lock, not the fault.
func frameRank(line string, fr symbol.Frame) int {
	t := strings.TrimSpace(line)
	switch {
	case !fr.Return:
		return 0
	case strings.Contains(t, ", at: "):
		return 3
	case strings.HasPrefix(t, "? "):
		return 2
	}
	return 1
}
