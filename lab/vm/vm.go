// Package vm boots a kernel and initramfs in QEMU -> the console log, the
// agent channel's bytes and how the machine ended.
//
// QEMU is started through vmtest's qemu package: its Options and Fn give
// the "a device is one value with QEMU and kernel arguments" shape, and it
// owns the process, the console pty and the side tasks. vmtest's guest
// half (vminit, qevent, govmtest) is not used: lkmlab's agent must time
// each step, read /dev/kmsg by sequence number and mark records with a
// nonce, which qevent's JSON events over the console do not give. QMP
// (events, status, save and restore, quit) goes through go-qemu's typed
// commands. The host's side of the conversation is a Driver.
package vm

import (
	"cmp"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/hugelgupf/vmtest/qemu"
)

// Options describe one VM run. Kernel and Initramfs are required; the rest
// of the zero value works.
type Options struct {
	// Arch is the guest's architecture as Go names it ("amd64", "arm64";
	// default amd64): the kernel's (kernel.Kernel.Arch).
	Arch      string
	QEMU      string // default qemu-system-x86_64, qemu-system-aarch64 for arm64
	Kernel    string
	Initramfs string
	Accel     Accel         // default ProbeAccel()
	MemoryMiB int           // default 512
	CPUs      int           // default 2: a module spinning on one CPU leaves the agent the other
	Timeout   time.Duration // default 2 minutes; then QMP quit, then kill
	// BootTimeout bounds the time to the agent's first byte; default 60 s.
	BootTimeout time.Duration
	// Plain runs QEMU with its default machine (1 CPU, default devices;
	// MemoryMiB still applies) and the full boot log on the console: the
	// way a first attempt runs it, kept to measure what the tuned path saves.
	Plain bool
	// Incoming starts the guest from a state saved with Session.Save,
	// instead of booting it. Every other option must be the one it was
	// saved with.
	Incoming string
	// Driver talks to the agent; when it returns, the host ends the VM.
	// Default: read the channel until the guest powers off.
	Driver Driver
	// Extra are more devices for this run (a gdb stub, a terminal on the
	// console), added after the machine's own.
	Extra []qemu.Fn
	// Console receives each console line as it arrives.
	Console func(line string)
	// Logf receives the QEMU command line and QMP events.
	Logf func(format string, args ...any)
}

// Result is how a run went.
type Result struct {
	Cmdline  string   // the QEMU command line, quoted for a shell
	Args     []string // the same, as arguments
	Console  []string // every console line
	Channel  []byte   // every byte the agent sent
	TimedOut bool     // the host ended the run at Timeout or BootTimeout
	NoBoot   bool     // ... because the agent never said a word within BootTimeout
	// Status is the guest's run state QEMU reported when the host gave
	// up ("running": stuck inside; "guest-panicked"), "" if unknown.
	Status   string
	Panicked bool  // pvpanic reported a guest panic
	ExitErr  error // QEMU's exit status when it was not 0
	Duration time.Duration
	// FirstByte is when the agent's first byte arrived, from QEMU's start:
	// the boot time as the host sees it (firmware, kernel, agent start).
	FirstByte time.Duration
	// Restored says the saved state loaded (Options.Incoming); RestoreErr
	// why it did not.
	Restored   bool
	RestoreErr error
	// Loaded is when the saved state had finished loading and the guest
	// ran again, from QEMU's start: the part of FirstByte that restoring
	// costs, the rest being the driver's request and the agent's answer.
	// Zero for a cold boot and for a state that did not load.
	Loaded time.Duration
	// Ended says the host ended the VM after its driver returned;
	// DriveErr is what the driver returned.
	Ended    bool
	DriveErr error
}

// Run boots the VM (or restores it), runs the driver, and ends the VM when
// the driver is done, the guest powers off or panics, or a deadline passes.
func Run(ctx context.Context, o Options) (*Result, error) {
	o = o.withDefaults()
	a, err := archOf(o.Arch)
	if err != nil {
		return nil, err
	}
	if _, err := exec.LookPath(o.QEMU); err != nil {
		return nil, missingQEMU(o.QEMU, a)
	}
	dir, err := os.MkdirTemp("", "lkmlab-vm-")
	if err != nil {
		return nil, fmt.Errorf("run vm: %w", err)
	}
	defer os.RemoveAll(dir)
	l, err := net.Listen("unix", filepath.Join(dir, "channel.sock"))
	if err != nil {
		return nil, fmt.Errorf("run vm: channel: %w", err)
	}
	defer l.Close()
	r := &run{o: o, arch: a, ctx: ctx, res: &Result{}, console: newLineLog(), exited: make(chan struct{}), running: make(chan struct{})}
	return r.start(l, filepath.Join(dir, "qmp.sock"))
}

// run is one VM run in progress.
type run struct {
	o       Options
	arch    guestArch
	ctx     context.Context
	res     *Result
	console *lineLog
	chanRec recorder
	mon     *monitor
	v       *qemu.VM
	exited  chan struct{}
	started time.Time
	side    sync.WaitGroup // the watchdog and the restore, which write res
	exit    sync.Once
	running chan struct{} // closed once the guest runs (at once for a boot)
}

func (r *run) start(l net.Listener, qmpPath string) (*Result, error) {
	fns := []qemu.Fn{
		qemu.WithQEMUCommand(withDeathSignal(r.o.QEMU)),
		machineFor(r.arch, r.o.Accel, r.o.MemoryMiB, r.o.CPUs, r.o.Plain),
		qemu.WithKernel(r.o.Kernel),
		qemu.WithInitramfs(r.o.Initramfs),
		consoleFor(r.arch, r.o.Plain), channelFor(r.arch, l, r.drive), panicsFor(r.arch), qmpSocket(qmpPath),
		qemu.WithSerialOutput(&lineWriter{fn: r.consoleLine}),
		qemu.WithTask(func(_ context.Context, n *qemu.Notifications) error {
			<-n.VMExited // sent at QEMU's exit, closed if it never started
			r.exit.Do(func() { close(r.exited) })
			return nil
		}),
	}
	if r.o.Incoming != "" {
		fns = append(fns, incoming())
	}
	fns = append(fns, r.o.Extra...)
	opts, err := qemu.OptionsFor(qemu.Arch(cmp.Or(r.o.Arch, "amd64")), fns...)
	if err != nil {
		return nil, fmt.Errorf("run vm: %w", err)
	}
	r.started = time.Now()
	if r.v, err = opts.Start(r.ctx); err != nil {
		return nil, fmt.Errorf("run vm: start %s: %w", r.o.QEMU, err)
	}
	r.res.Cmdline, r.res.Args = r.v.CmdlineQuoted(), r.v.Cmdline()
	r.o.Logf("qemu: %s", r.res.Cmdline)
	r.mon = connect(qmpPath, r.exited, r.o.Logf)
	r.side.Go(r.watchdog)
	if r.o.Incoming != "" {
		r.side.Go(r.restore)
	} else {
		close(r.running)
	}
	werr := r.v.Wait()
	r.exit.Do(func() { close(r.exited) })
	r.side.Wait()
	return r.finish(werr), nil
}

func (r *run) consoleLine(l string) {
	r.console.add(l)
	if r.o.Console != nil {
		r.o.Console(l)
	}
}

// restore loads the saved state; a state that does not load ends the VM.
func (r *run) restore() {
	err := r.mon.restore(r.o.Incoming, saveTimeout, r.exited)
	if err != nil {
		r.res.RestoreErr = err
		close(r.running)
		r.o.Logf("qemu: %v", err)
		r.mon.quit(r.v.Kill, r.exited)
		return
	}
	r.res.Restored, r.res.Loaded = true, time.Since(r.started)
	close(r.running)
}

// drive runs the driver on the agent's channel, then ends the VM.
func (r *run) drive(_ context.Context, c net.Conn) {
	d := r.o.Driver
	if d == nil {
		d = drain{}
	}
	s := &Session{conn: c, rec: &r.chanRec, mon: r.mon, console: r.console, exited: r.exited, run: r}
	err := d.Drive(r.ctx, s)
	r.res.DriveErr = err
	select {
	case <-r.exited:
		return
	case <-time.After(endGrace):
	}
	r.res.Ended = true
	r.mon.quit(r.v.Kill, r.exited)
}

func (r *run) finish(werr error) *Result {
	res := r.res
	res.Duration = time.Since(r.started)
	res.Channel = r.chanRec.bytes()
	res.Console = r.console.all()
	if at := r.chanRec.firstAt(); !at.IsZero() {
		res.FirstByte = at.Sub(r.started)
	}
	res.Panicked = r.mon.panicked()
	r.mon.close()
	if werr != nil {
		res.ExitErr = werr
	}
	return res
}

func (o Options) withDefaults() Options {
	if o.QEMU == "" {
		a, err := archOf(o.Arch)
		if err != nil {
			a = arches["amd64"] // Run reports the error
		}
		o.QEMU = a.qemu
	}
	if o.Accel.Name == "" {
		o.Accel = ProbeAccel()
	}
	if o.MemoryMiB == 0 {
		o.MemoryMiB = 512
	}
	if o.CPUs == 0 {
		o.CPUs = 2
	}
	if o.Timeout == 0 {
		o.Timeout = 2 * time.Minute
	}
	if o.BootTimeout == 0 {
		o.BootTimeout = 60 * time.Second
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	return o
}

// saveTimeout bounds saving or loading a guest's state: a few hundred MB
// through a pipe.
const saveTimeout = 30 * time.Second

// endGrace is how long the guest may go on after its driver is done: the
// kernel may still be writing the console.
const endGrace = 20 * time.Millisecond

func itoa(i int) string { return strconv.Itoa(i) }

// missingQEMU says what to install for the QEMU binary qemu: the
// architecture's package when it is the usual binary, an error naming the
// path otherwise.
func missingQEMU(qemu string, a guestArch) error {
	if qemu == a.qemu || filepath.Base(qemu) == a.qemu {
		if a.qemu == "qemu-system-x86_64" {
			return ErrNoQEMU
		}
		return &MissingQEMUError{Binary: a.qemu, Package: a.pkg}
	}
	return &MissingQEMUError{Binary: qemu, Package: a.pkg}
}

// watchdog ends a VM that does not finish: one whose agent has not said a
// word by BootTimeout (a guest stuck in boot), or that runs past Timeout.
// It records why in res before asking QEMU to quit.
func (r *run) watchdog() {
	boot, total := time.NewTimer(r.o.BootTimeout), time.NewTimer(r.o.Timeout)
	defer boot.Stop()
	defer total.Stop()
	why := ""
	for why == "" {
		select {
		case <-r.exited:
			return
		case <-boot.C:
			if r.chanRec.firstAt().IsZero() {
				why, r.res.NoBoot = fmt.Sprintf("no word from the guest agent after %v", r.o.BootTimeout), true
			}
		case <-total.C:
			why = fmt.Sprintf("no power-off after %v", r.o.Timeout)
		}
	}
	status := r.mon.status()
	r.o.Logf("qemu: %s (guest status %q): quitting", why, status)
	r.res.TimedOut, r.res.Status = true, status
	r.mon.quit(r.v.Kill, r.exited)
}

// withDeathSignal makes QEMU die with the process that started it: a
// grader killed with SIGKILL must not leave VMs running. vmtest builds the
// exec.Cmd itself, so the parent-death signal comes from util-linux's
// setpriv, which sets it and execs QEMU.
func withDeathSignal(qemu string) string {
	if _, err := exec.LookPath("setpriv"); err != nil {
		return qemu
	}
	return "setpriv --pdeathsig KILL -- " + qemu
}
