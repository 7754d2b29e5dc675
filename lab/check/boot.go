package check

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lkmlab/lkmlab/lab/initramfs"
	"github.com/lkmlab/lkmlab/lab/kmsg"
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
// and returns the modules that never started because the VM died first.
func boot(ctx context.Context, pending []built, agent string, support []initramfs.File, rng *rand.Rand, o Options, work string, r *result.Report) ([]built, error) {
	p, owners, files := makePlan(pending, support, rng, o.Isolate)
	image := o.Kernel.Image
	if o.Baseline {
		image = o.Kernel.BzImage
	}
	timeout := o.VMTimeout
	if timeout == 0 {
		timeout = bootAllowance + stepsBudget(p)
	}
	vo := vm.Options{Kernel: image, Accel: o.Accel, Plain: o.Baseline,
		Timeout: timeout, Console: o.Console, Logf: o.Logf}
	if !o.Baseline {
		// Once the agent is done the guest's power-off is not worth
		// waiting for (the baseline waits, as a naive setup does).
		vo.EndMarker = plan.DoneMarker(p.Nonce)
	}
	o.Logf("run %d module(s) on %s, %s", len(pending), o.Kernel.Release, o.Accel.Name)
	var res *vm.Result
	var err error
	if o.Cold || o.Baseline {
		res, err = bootCold(ctx, p, files, agent, vo, o, work, r)
	} else {
		res, err = bootSnapshot(ctx, p, files, support, agent, vo, o, work, r)
	}
	if err != nil {
		return nil, err
	}
	saveLogs(work, r.Boots-1, res, o.Logf)
	recs, err := parseRecords(res.Channel, p.Nonce)
	if err != nil {
		return nil, err
	}
	if recs.ready == nil {
		return nil, notStarted(res)
	}
	addTiming(&r.Timing, res, recs)
	console := kmsg.ParseLines(strings.Join(res.Console, "\n"))
	return judgeAll(pending, p, owners, recs, console, res, r), nil
}

// bootCold boots a guest whose initramfs carries the plan and modules.
func bootCold(ctx context.Context, p *plan.Plan, files []initramfs.File, agent string, vo vm.Options, o Options, work string, r *result.Report) (*vm.Result, error) {
	t0 := time.Now()
	img := filepath.Join(work, fmt.Sprintf("initramfs-%d.cpio", r.Boots))
	if err := initramfs.Write(initramfs.Spec{Agent: agent, Plan: p, Files: files, Gzip: o.Baseline}, img); err != nil {
		return nil, err
	}
	r.Timing.Initramfs += time.Since(t0)
	vo.Initramfs = img
	return bootOnceMore(ctx, vo, o, work, r)
}

// bootOnceMore runs the VM, and runs it once more when the guest did not
// start: a guest stuck in boot, before any module ran, says nothing about
// the modules.
func bootOnceMore(ctx context.Context, vo vm.Options, o Options, work string, r *result.Report) (*vm.Result, error) {
	r.Boots++
	res, err := vm.Run(ctx, vo)
	if err == nil && res.NoBoot {
		o.Logf("boot: the guest did not start (QEMU status %q); booting again", res.Status)
		saveLogs(work, r.Boots-1, res, o.Logf)
		r.Boots++
		res, err = vm.Run(ctx, vo)
	}
	return res, err
}

// makePlan lays out the steps of every pending module; owners maps each
// step to its module's position in pending.
func makePlan(pending []built, support []initramfs.File, rng *rand.Rand, isolate bool) (*plan.Plan, []int, []initramfs.File) {
	p := &plan.Plan{Nonce: plan.NewNonce(), Isolate: isolate}
	files := append([]initramfs.File(nil), support...)
	for _, f := range support {
		p.Support = append(p.Support, f.Guest)
	}
	var owners []int
	for i, b := range pending {
		guest := "/lkm/" + filepath.Base(b.ko)
		files = append(files, initramfs.File{Host: b.ko, Guest: guest})
		for _, st := range b.target.Spec.Steps {
			d, _ := st.TimeoutDuration()
			var start []plan.Workload
			for _, w := range st.Start {
				start = append(start, plan.Workload{Name: w.Name, Kind: w.Kind, Args: drawArgs(w.Kind, rng)})
			}
			p.Steps = append(p.Steps, plan.Step{Module: b.target.Name, Action: plan.Action(st.Action), Label: st.Name,
				Path: guest, Params: st.Params, Timeout: plan.Duration(d), Start: start, Expect: st.Error})
			owners = append(owners, i)
		}
	}
	return p, owners, files
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

// records are a run's records by kind and step.
type records struct {
	ready, done *plan.Record
	leaks       *plan.Record
	held        map[int][]string // by step: processes whose address space outlived them
	begin, end  map[int]*plan.Record
}

func parseRecords(channel []byte, nonce string) (*records, error) {
	rs := &records{begin: map[int]*plan.Record{}, end: map[int]*plan.Record{}, held: map[int][]string{}}
	err := plan.ReadRecords(bytes.NewReader(channel), nonce, func(r plan.Record) {
		switch r.Kind {
		case plan.Ready:
			rs.ready = &r
		case plan.Done:
			rs.done = &r
		case plan.Leaks:
			rs.leaks = &r
		case plan.Held:
			rs.held[r.Step] = append(rs.held[r.Step], r.Error)
		case plan.Begin:
			rs.begin[r.Step] = &r
		case plan.End:
			rs.end[r.Step] = &r
		}
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("read agent records: %w", err)
	}
	return rs, nil
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
	return fmt.Errorf("boot: %s; last console lines:\n  %s\nreproduce with: %s", why, strings.Join(tail, "\n  "), res.Cmdline)
}

func addTiming(t *result.Timing, res *vm.Result, recs *records) {
	boot := res.FirstByte
	t.Boot += boot
	if recs.done != nil {
		steps := time.Duration(recs.done.UptimeUS-recs.ready.UptimeUS) * time.Microsecond
		t.Steps += steps
		t.Shutdown += max(0, res.Duration-boot-steps)
	}
}

func judgeAll(pending []built, p *plan.Plan, owners []int, recs *records, console []kmsg.Line, res *vm.Result, r *result.Report) []built {
	var rest []built
	leaks := attributeLeaks(p, recs, r)
	started := make([]bool, len(pending))
	for i := range p.Steps {
		if recs.begin[i] != nil || recs.end[i] != nil {
			started[owners[i]] = true
		}
	}
	for i, b := range pending {
		if !started[i] && (recs.done == nil || recs.done.Early) {
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
			m.Steps = append(m.Steps, verdict.Judge(verdict.Input{Name: st.Name(), Spec: spec,
				KernelName: kernelName(b.ko),
				Begin:      recs.begin[si], End: recs.end[si], Console: console,
				HostTimeout: res.TimedOut, GuestStatus: res.Status, Leaks: leaks[si], Held: recs.held[si]}))
		}
		afterCrash(m)
		locateFailures(m, b)
		m.Summarize()
	}
	return rest
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
func saveLogs(work string, n int, res *vm.Result, logf func(string, ...any)) {
	files := map[string][]byte{
		fmt.Sprintf("console-%d.log", n):  []byte(strings.Join(res.Console, "\n") + "\n"),
		fmt.Sprintf("channel-%d.log", n):  res.Channel,
		fmt.Sprintf("qemu-%d.cmdline", n): []byte(res.Cmdline + "\n"),
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
	for si := range m.Steps {
		for _, f := range m.Steps[si].Failures {
			loc, ok := locate(f, b.ko, name)
			if !ok {
				continue
			}
			file := strings.Replace(loc.File, b.builtIn, filepath.Clean(b.target.Dir), 1)
			f.Source = fmt.Sprintf("%s:%d (%s)", file, loc.Line, loc.Func)
			if s := &m.Steps[si]; strings.Contains(s.Reason, f.Title) {
				s.Reason = f.Error()
			}
		}
	}
}

// locate tries the failure's frames in order (RIP first, then the call
// trace) and returns the first in the module.
func locate(f *kmsg.Failure, ko, name string) (symbol.Location, bool) {
	for _, l := range f.Lines {
		fr, ok := symbol.ParseFrame(l)
		if !ok || strings.ReplaceAll(fr.Module, "-", "_") != name {
			continue
		}
		loc, err := symbol.Locate(context.Background(), ko, fr)
		return loc, err == nil
	}
	return symbol.Location{}, false
}
