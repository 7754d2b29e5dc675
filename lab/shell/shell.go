// Package shell opens a shell in the check's guest: module folders -> the
// guest a check runs them in (restored from a saved guest of its own), the
// modules built into /lkm, u-root's commands in /bbin -> the person's
// terminal on its console until the shell ends.
package shell

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/hugelgupf/vmtest/qemu"
	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/initramfs"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/lkmlab/lkmlab/lab/shellbin"
	"github.com/lkmlab/lkmlab/lab/vm"
	"golang.org/x/term"
)

// Options configure Run. Check.Kernel is required; the rest of the zero
// value works.
type Options struct {
	// Check builds and boots as a check does: the kernel, the seed (the
	// same seed gives `lab run N` the same workload values), the cache.
	Check check.Options
	// In and Out are the person's terminal; default os.Stdin and
	// os.Stdout. When In is a terminal it is put in raw mode for the
	// session (every key goes to the guest) and restored after.
	In  *os.File
	Out io.Writer
	// At, when set, is a step to stop at: the guest runs the module's
	// steps before it, then opens the shell (a replay of a failed step);
	// `lab run N` then runs it.
	At *check.StepRef
}

// Escape is the key that, followed by EscapeQuit, ends the VM at once
// (QEMU's own console uses the same pair); pressed twice it sends itself.
const (
	Escape     = 0x01 // Ctrl-A
	EscapeQuit = 'x'
)

// Run builds targets, starts their guest and gives the person its
// console until the shell exits, the person presses Ctrl-A x, or ctx ends.
func Run(ctx context.Context, targets []check.Target, o Options) error {
	if o.In == nil {
		o.In = os.Stdin
	}
	if o.Out == nil {
		o.Out = os.Stdout
	}
	cache := o.Check.CacheDir
	if cache == "" {
		cache = kernel.DefaultCacheDir()
	}
	bb, _, err := shellbin.Extract(cmp.Or(o.Check.Kernel.Arch, "amd64"), filepath.Join(cache, "shell"))
	if err != nil {
		return err
	}
	t := &terminal{in: o.In, out: o.Out}
	settings := &plan.Shell{Busybox: shellbin.GuestDir + "/bb", Commands: shellbin.Names(), Shell: shellbin.Shell,
		Term: os.Getenv("TERM")}
	settings.Cols, settings.Rows, _ = term.GetSize(int(o.In.Fd()))
	s := check.Session{
		Base:  []initramfs.File{{Host: bb, Guest: settings.Busybox}},
		Shell: settings,
		At:    o.At,
		Extra: []qemu.Fn{vm.RawConsole(t)},
		Drive: t.drive,
	}
	err = check.Interact(ctx, targets, o.Check, s)
	if t.escaped && errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// terminal is the person's side of a session.
type terminal struct {
	in  *os.File
	out io.Writer

	mu      sync.Mutex
	open    bool // the guest's console reaches out: the shell is handed over
	escaped bool // the person ended the VM with Ctrl-A x
}

// Write passes the guest console's bytes to the person once the session
// is theirs; the boot before is the harness's business.
func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.open {
		_, _ = t.out.Write(p)
	}
	return len(p), nil
}

// drive hands the console to the person: raw mode, keys to the guest,
// the guest's bytes to the terminal, until the shell ends.
func (t *terminal) drive(ctx context.Context, c *check.Conn) error {
	keys, err := c.VM.ConsoleInput()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	fmt.Fprintf(t.out, "lkmlab shell: the guest's console is yours; Ctrl-D or poweroff ends the session, Ctrl-A x ends the VM at once\n")
	restore := t.raw()
	defer restore()
	t.mu.Lock()
	t.open = true
	t.mu.Unlock()
	go t.pump(keys, cancel)
	return c.Shell(ctx)
}

// raw puts the person's terminal in raw mode, when it is one, and
// returns how to restore it.
func (t *terminal) raw() func() {
	fd := int(t.in.Fd())
	if !term.IsTerminal(fd) {
		return func() {}
	}
	old, err := term.MakeRaw(fd)
	if err != nil {
		return func() {}
	}
	return func() { _ = term.Restore(fd, old) }
}

// pump copies the person's keys to the guest until the input ends or
// the person presses Ctrl-A x, which cancels the session.
func (t *terminal) pump(keys io.Writer, cancel func()) {
	buf := make([]byte, 256)
	var e escaper
	for {
		n, err := t.in.Read(buf)
		if n > 0 {
			out, quit := e.filter(buf[:n])
			if len(out) > 0 {
				if _, werr := keys.Write(out); werr != nil {
					return
				}
			}
			if quit {
				t.mu.Lock()
				t.escaped = true
				t.mu.Unlock()
				cancel()
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// escaper finds Ctrl-A x in the keys, across reads.
type escaper struct{ pending bool }

// filter returns the keys to send and whether the person asked to quit.
func (e *escaper) filter(in []byte) ([]byte, bool) {
	out := make([]byte, 0, len(in))
	for _, b := range in {
		switch {
		case e.pending && b == EscapeQuit:
			return out, true
		case e.pending:
			e.pending = false
			out = append(out, Escape)
			if b != Escape {
				out = append(out, b)
			}
		case b == Escape:
			e.pending = true
		default:
			out = append(out, b)
		}
	}
	return out, false
}
