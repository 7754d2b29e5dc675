// Package vm boots a kernel and initramfs in QEMU -> the console log, the
// agent channel's bytes and how the machine ended.
//
// QEMU is started through vmtest's qemu package: its Options and Fn give
// the "a device is one value with QEMU and kernel arguments" shape, and it
// owns the process, the console pty and the side tasks. vmtest's guest
// half (vminit, qevent, govmtest) is not used: lkmlab's agent must time
// each step, read /dev/kmsg by sequence number and mark records with a
// nonce, which qevent's JSON events over the console do not give. QMP
// (events, status, quit) goes through go-qemu.
package vm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
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
	QEMU      string // default qemu-system-x86_64
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
	// Incoming starts the guest from a state saved with Save, instead of
	// booting it. Every other option must be the one it was saved with.
	Incoming string
	// Save saves the guest's state once it is ready (see Save).
	Save *Save
	// Input is written to the agent's channel: at once, or, with Save,
	// once the state is saved.
	Input []byte
	// EndMarker, when the channel shows a complete line containing it,
	// means the guest has said all it will: the host ends the VM rather
	// than wait for the guest's own power-off.
	EndMarker []byte
	// Console receives each console line as it arrives.
	Console func(line string)
	// Logf receives the QEMU command line and QMP events.
	Logf func(format string, args ...any)
}

// Result is how a run went.
type Result struct {
	Cmdline  string   // the QEMU command line, quoted for a shell
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
	// Ended says the host ended the VM after EndMarker.
	Ended bool
	// Saved is how long saving the state took (Options.Save), 0 when it
	// was not saved; SaveErr says why not.
	Saved   time.Duration
	SaveErr error
}

// ErrNoQEMU means the QEMU binary is missing.
var ErrNoQEMU = errors.New("qemu-system-x86_64 not found: apt-get install qemu-system-x86")

// Run boots the VM and waits until it powers off, panics or times out.
func Run(ctx context.Context, o Options) (*Result, error) {
	o = o.withDefaults()
	if _, err := exec.LookPath(o.QEMU); err != nil {
		return nil, ErrNoQEMU
	}
	dir, err := os.MkdirTemp("", "lkmlab-vm-")
	if err != nil {
		return nil, fmt.Errorf("run vm: %w", err)
	}
	defer os.RemoveAll(dir)

	res := &Result{}
	var chanBuf bytes.Buffer
	var chanDone sync.WaitGroup
	first := &firstWrite{w: &chanBuf}
	var marker []byte
	if o.Save != nil {
		marker = o.Save.Marker
	}
	end := newMarkerWriter(first, o.EndMarker)
	parked := newMarkerWriter(end, marker)
	send := make(chan struct{})
	ch, err := channel(dir, parked, o.Input, send, &chanDone)
	if err != nil {
		return nil, fmt.Errorf("run vm: channel: %w", err)
	}
	var conMu sync.Mutex
	con := &lineWriter{fn: func(l string) {
		conMu.Lock()
		res.Console = append(res.Console, l)
		conMu.Unlock()
		if o.Console != nil {
			o.Console(l)
		}
	}}
	qmpPath := filepath.Join(dir, "qmp.sock")
	opts, err := qemu.OptionsFor(qemu.ArchAMD64,
		qemu.WithQEMUCommand(withDeathSignal(o.QEMU)),
		machine(o.Accel, o.MemoryMiB, o.CPUs, o.Plain),
		qemu.WithKernel(o.Kernel),
		qemu.WithInitramfs(o.Initramfs),
		console(o.Plain), ch, panics(), qmpSocket(qmpPath),
		qemu.WithSerialOutput(con),
	)
	if err == nil && o.Incoming != "" {
		err = incoming(o.Incoming)(nil, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("run vm: %w", err)
	}
	start := time.Now()
	v, err := opts.Start(ctx)
	if err != nil {
		return nil, fmt.Errorf("run vm: start %s: %w", o.QEMU, err)
	}
	res.Cmdline = v.CmdlineQuoted()
	o.Logf("qemu: %s", res.Cmdline)
	mon := watch(qmpPath, o.Logf)
	exited, watched, saved := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(watched)
		watchdog(o, first, mon, v, res, exited)
	}()
	go func() {
		defer close(saved)
		defer close(send)
		if o.Incoming != "" {
			if err := mon.resumeRestored(saveTimeout, exited); err != nil {
				o.Logf("qemu: %v", err)
			}
		}
		if o.Save == nil {
			return
		}
		select {
		case <-parked.seen:
		case <-exited:
			res.SaveErr = errors.New("the guest ended before it was ready to be saved")
			return
		}
		t := time.Now()
		if res.SaveErr = mon.save(o.Save.Path, saveTimeout); res.SaveErr == nil {
			res.Saved = time.Since(t)
		}
	}()
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		if len(o.EndMarker) > 0 {
			select {
			case <-end.seen:
			case <-exited:
				return
			}
			// The kernel may still be writing the console: a moment for
			// it, then the guest's power-off is not worth waiting for.
			select {
			case <-time.After(endGrace):
				res.Ended = true
				mon.quit(v, exited)
			case <-exited:
			}
		}
	}()
	werr := v.Wait()
	close(exited)
	<-ended
	<-watched // a fired deadline has recorded why before we read res
	<-saved
	chanDone.Wait()
	res.Duration = time.Since(start)
	res.Channel = chanBuf.Bytes()
	if at := first.when(); !at.IsZero() {
		res.FirstByte = at.Sub(start)
	}
	res.Panicked = mon.panicked()
	mon.close()
	if werr != nil {
		res.ExitErr = werr
	}
	return res, nil
}

func (o Options) withDefaults() Options {
	if o.QEMU == "" {
		o.QEMU = "qemu-system-x86_64"
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

// saveTimeout bounds saving a guest's state: a few hundred MB through a pipe.
const saveTimeout = 30 * time.Second

// endGrace is how long the guest may go on after EndMarker.
const endGrace = 20 * time.Millisecond

func itoa(i int) string { return strconv.Itoa(i) }

// firstWrite notes when the first write arrives.
type firstWrite struct {
	w  io.Writer
	mu sync.Mutex
	at time.Time
}

func (f *firstWrite) Write(p []byte) (int, error) {
	f.mu.Lock()
	if f.at.IsZero() && len(p) > 0 {
		f.at = time.Now()
	}
	f.mu.Unlock()
	return f.w.Write(p)
}

func (f *firstWrite) when() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.at
}

// watchdog ends a VM that does not finish: one whose agent has not said a
// word by BootTimeout (a guest stuck in boot), or that runs past Timeout.
// It records why in res before asking QEMU to quit.
func watchdog(o Options, first *firstWrite, mon *monitor, v *qemu.VM, res *Result, exited <-chan struct{}) {
	boot, total := time.NewTimer(o.BootTimeout), time.NewTimer(o.Timeout)
	defer boot.Stop()
	defer total.Stop()
	why := ""
	for why == "" {
		select {
		case <-exited:
			return
		case <-boot.C:
			if first.when().IsZero() {
				why, res.NoBoot = fmt.Sprintf("no word from the guest agent after %v", o.BootTimeout), true
			}
		case <-total.C:
			why = fmt.Sprintf("no power-off after %v", o.Timeout)
		}
	}
	status := mon.status()
	o.Logf("qemu: %s (guest status %q): quitting", why, status)
	res.TimedOut, res.Status = true, status
	mon.quit(v, exited)
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
