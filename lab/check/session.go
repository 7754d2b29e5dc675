package check

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hugelgupf/vmtest/qemu"
	"github.com/lkmlab/lkmlab/lab/initramfs"
	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/vm"
)

// An interactive session (lkmlab shell, lkmlab debug) runs modules in the
// check's guest, built and planned as a check does them (the same seed
// gives the same workload values), restored from a saved guest, but the
// caller drives the agent: it runs steps one by one under a debugger, or
// hands the console to a shell. Nothing is judged.

// Session says how an interactive run differs from a check.
type Session struct {
	// Base are more files for the guest's base image (the u-root
	// commands). A session with Base saves and restores a guest of its
	// own, apart from the check's: the images differ.
	Base []initramfs.File
	// Shell, when set, is written into the guest as plan.ShellFile, with
	// the values drawn for every step, for Conn.Shell.
	Shell *plan.Shell
	// At, when set, is the step a shell stops at: the guest runs the
	// module's steps before it first (plan.Shell.Before).
	At *StepRef
	// Extra are more QEMU devices (the gdb stub, the raw console).
	Extra []qemu.Fn
	// StepTimeout, when set, replaces every step's timeout: a person at a
	// debugger holds a step as long as they look.
	StepTimeout time.Duration
	// Drive runs once the agent is ready; when it returns the VM ends.
	Drive func(ctx context.Context, c *Conn) error
}

// StepRef names a step by its module and its place among the module's
// own steps, from 0.
type StepRef struct {
	Module string
	Index  int
}

// ModuleSteps are the plan indexes of module's steps, in order.
func ModuleSteps(p *plan.Plan, module string) []int {
	var out []int
	for i, s := range p.Steps {
		if s.Module == module {
			out = append(out, i)
		}
	}
	return out
}

// sessionTimeout bounds a whole session: a person's working day.
const sessionTimeout = 12 * time.Hour

// shellOpenWithin bounds the wait for the shell: the agent first runs the
// steps before the one the session stops at, each within its own timeout.
const shellOpenWithin = 10 * time.Minute

// Conn is a session's guest once its agent is ready.
type Conn struct {
	VM      *vm.Session
	Plan    *plan.Plan
	Modules []SessionModule // in plan order
	d       *driver
}

// SessionModule is a module of a session as built.
type SessionModule struct {
	Name  string
	KO    string // the .ko on the host, with its debug info
	Guest string // where the guest has it (stripped)
	// Source is the module's folder; BuiltIn the build copy's, which the
	// .ko's debug info names.
	Source, BuiltIn string
}

// Step runs step i as a check does and returns the agent's end record.
func (c *Conn) Step(i int) (*plan.Record, error) {
	if i < 0 || i >= len(c.Plan.Steps) {
		return nil, fmt.Errorf("run step %d: the plan has %d steps", i, len(c.Plan.Steps))
	}
	end, err := c.d.step(i)
	if err != nil {
		return nil, fmt.Errorf("run step %d (%s): the guest stopped answering", i, c.Plan.Steps[i].Name())
	}
	return end, nil
}

// Shell hands the console to the shell (Session.Shell) and waits until
// it ends (the guest powers off after) or ctx is done.
func (c *Conn) Shell(ctx context.Context) error {
	cmd := plan.Command{Op: plan.OpShell, Nonce: plan.NewNonce()}
	if err := c.d.send(cmd); err != nil {
		return errors.New("open shell: the guest is gone")
	}
	r, err := c.d.await(cmd.Nonce, -1, shellOpenWithin, plan.ShellOpen, plan.Fatal)
	switch {
	case err != nil:
		return errors.New("open shell: the agent did not answer")
	case r.Kind == plan.Fatal:
		return fmt.Errorf("open shell: %s", r.Error)
	}
	for {
		select {
		case l, ok := <-c.d.lines:
			if !ok {
				return nil // the guest powered off
			}
			if f, ok := plan.ParseLine(l); ok && f.Nonce == cmd.Nonce && f.Record.Kind == plan.Done {
				return nil
			}
		case <-c.VM.Exited():
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Interact builds targets, boots (or restores) their guest and runs
// s.Drive in it. The error is a build error, the guest not starting, or
// what Drive returned.
func Interact(ctx context.Context, targets []Target, o Options, s Session) error {
	rn, cleanup, err := newSessionRunner(ctx, o)
	if err != nil {
		return err
	}
	defer cleanup()
	rn.r.Modules = make([]result.Module, len(targets))
	pending := rn.buildAll(targets)
	if err := buildFailures(rn.r); err != nil {
		return err
	}
	if rn.support, err = initramfs.SupportModules(o.Kernel.ModulesDir, supportDrivers(o.Kernel.Arch)...); err != nil {
		return err
	}
	v, err := rn.sessionPlan(pending, s)
	if err != nil {
		return err
	}
	sd := &sessionDriver{s: s, pending: pending}
	return rn.bootSession(v, s.Base, sd)
}

// newSessionRunner sets up a runner as Run does.
func newSessionRunner(ctx context.Context, o Options) (*runner, func(), error) {
	if o.Kernel == nil {
		return nil, nil, errors.New("session: no kernel given")
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	if o.Accel.Name == "" {
		o.Accel = vm.ProbeAccel()
	}
	work, cleanup := o.WorkDir, func() {}
	if work == "" {
		var err error
		if work, err = os.MkdirTemp("", "lkmlab-session-"); err != nil {
			return nil, nil, fmt.Errorf("session: %w", err)
		}
		cleanup = func() { os.RemoveAll(work) }
	}
	rng, seed := newRand(o.Seed)
	r := &result.Report{Kernel: o.Kernel.Name, Release: o.Kernel.Release, Seed: seed}
	agent, _, err := initramfs.Agent(cmp.Or(o.Kernel.Arch, "amd64"), filepath.Join(o.cacheDir(), "agent"))
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return &runner{ctx: ctx, o: o, work: work, r: r, rng: rng, agent: agent}, cleanup, nil
}

// buildFailures is the error of the modules that did not build.
func buildFailures(r *result.Report) error {
	var errs []string
	for _, m := range r.Modules {
		if m.Verdict == result.BuildError {
			errs = append(errs, fmt.Sprintf("build %s:\n%s", m.Name, strings.TrimRight(m.Error, "\n")))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errors.New(strings.Join(errs, "\n"))
}

// sessionPlan lays out the steps as a check does, with the session's
// timeouts, devices and shell settings.
func (rn *runner) sessionPlan(pending []built, s Session) (*vmPlan, error) {
	v := rn.makePlan(pending)
	if s.StepTimeout > 0 {
		for i := range v.p.Steps {
			v.p.Steps[i].Timeout = plan.Duration(s.StepTimeout)
		}
	}
	image := rn.o.Kernel.Image
	if rn.o.Kernel.BzImage != "" {
		image = rn.o.Kernel.BzImage // as a check's saved guest: see boot
	}
	v.vo = vm.Options{Arch: rn.o.Kernel.Arch, Kernel: image, Accel: rn.o.Accel, Timeout: sessionTimeout, Console: rn.o.Console,
		Logf: rn.o.Logf, Extra: s.Extra}
	if s.Shell == nil {
		return v, nil
	}
	sh := *s.Shell
	sh.Args, sh.Floors = v.args, v.floors
	if s.At != nil {
		steps := ModuleSteps(v.p, s.At.Module)
		sh.Before = append(sh.Before, steps[:min(max(s.At.Index, 0), len(steps))]...)
	}
	host := filepath.Join(rn.work, "shell.json")
	if err := sh.Write(host); err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	v.files = append(v.files, initramfs.File{Host: host, Guest: plan.ShellFile})
	return v, nil
}

// sessionDriver brings the agent to Ready as a check's driver does, then
// hands it to Session.Drive.
type sessionDriver struct {
	s       Session
	pending []built
	d       *driver
	ready   bool  // the agent said Ready: whatever happened next, the guest started
	err     error // what Drive returned
}

func (sd *sessionDriver) Drive(ctx context.Context, s *vm.Session) error {
	d := sd.d
	d.s, d.recs = s, newRecords()
	d.lines, d.stop = make(chan string, 64), make(chan struct{})
	defer close(d.stop)
	go readLines(s, d.lines, d.stop)
	if err := d.start(); err != nil {
		return err
	}
	sd.ready = true
	c := &Conn{VM: s, Plan: d.p, d: d}
	for _, b := range sd.pending {
		c.Modules = append(c.Modules, SessionModule{Name: b.target.Name, KO: b.ko, Guest: "/lkm/" + filepath.Base(b.ko),
			Source: b.target.Dir, BuiltIn: b.builtIn})
	}
	sd.err = sd.s.Drive(ctx, c)
	return sd.err
}

// sessionSnapshot is the saved guest a session restores: the check's own
// when the session adds nothing to the image, else one of its own, kept
// under the snapshot folder's .sessions, so that neither counts the
// other's as stale.
func (rn *runner) sessionSnapshot(vo vm.Options, base []initramfs.File) (snapshot, error) {
	snap, err := rn.findSnapshot(vo)
	if err != nil || len(base) == 0 {
		return snap, err
	}
	h := sha256.New()
	io.WriteString(h, filepath.Base(snap.dir)+"\n")
	for _, f := range base {
		if err := hashFile(h, f.Host); err != nil {
			return snapshot{}, err
		}
		io.WriteString(h, f.Guest+"\n")
	}
	kdir := filepath.Join(rn.o.snapshotRoot(), ".sessions", safeName(rn.o.Kernel.Name))
	return snapshot{kernelDir: kdir, dir: filepath.Join(kdir, hex.EncodeToString(h.Sum(nil))[:16])}, nil
}
