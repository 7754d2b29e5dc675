// Package debug runs a module under gdb: a module folder -> the check's
// guest with QEMU's gdb stub and gdb with the kernel's symbols, stopped
// in the module's init (or another function) with the module's symbols
// loaded where the kernel put them, before the init runs.
package debug

import (
	"context"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hugelgupf/vmtest/qemu"
	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/ko"
	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/lkmlab/lkmlab/lab/vm"
)

// DefaultKernel is the kernel lkmlab debug boots unless told: the
// minimal kernel keeps its debug info (Debian's vmlinux has none) and
// is not relocatable, so its symbols are where its vmlinux says.
const DefaultKernel = "minimal-6.1"

// Options configure Run. Check.Kernel is required; the rest of the zero
// value works.
type Options struct {
	// Check builds and boots as a check does (the seed gives the step's
	// workloads a check's values).
	Check check.Options
	// GDB is the debugger; default gdb-multiarch, else gdb, from PATH.
	GDB string
	// Module is the module to debug; default the first target.
	Module string
	// Step is the module's step gdb stops in, by its place among the
	// module's steps (from 0): an insmod; a step that is none (the zero
	// value, for most specs, is one) means the module's first insmod. The
	// module's steps before it run first; the ones after it once gdb lets
	// the guest go.
	Step int
	// Break is where gdb stops; default the module's init function.
	Break string
	// Batch runs gdb without a person: Commands once it stopped, then it
	// detaches and the steps run on.
	Batch    bool
	Commands []string
	// Stdin, Stdout and Stderr are gdb's (and the step lines go to
	// Stdout); default the process's own.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Run debugs a module of targets under gdb and prints how its steps ended.
func Run(ctx context.Context, targets []check.Target, o Options) error {
	o = o.withDefaults()
	gdb, err := findGDB(o.GDB)
	if err != nil {
		return err
	}
	if err := debuggable(o.Check.Kernel.Image, o.Check.Kernel.BuildDir); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "lkmlab-debug-")
	if err != nil {
		return fmt.Errorf("debug: %w", err)
	}
	defer os.RemoveAll(dir)
	s := &session{o: o, gdb: gdb, dir: dir, stub: filepath.Join(dir, "gdb.sock")}
	return check.Interact(ctx, targets, o.Check, check.Session{
		Extra:       []qemu.Fn{vm.GDBStub(s.stub)},
		StepTimeout: time.Hour, // the guest's clock stands still while gdb holds it, not while a person reads
		Drive:       s.drive,
	})
}

func (o Options) withDefaults() Options {
	if o.Stdin == nil {
		o.Stdin = os.Stdin
	}
	if o.Stdout == nil {
		o.Stdout = os.Stdout
	}
	if o.Stderr == nil {
		o.Stderr = os.Stderr
	}
	return o
}

// debuggable says why gdb could not follow this kernel: a vmlinux
// without debug info, or one the boot relocates (KASLR).
func debuggable(vmlinux, buildDir string) error {
	f, err := elf.Open(vmlinux)
	if err != nil {
		return fmt.Errorf("debug: read the kernel's symbols: %w", err)
	}
	defer f.Close()
	if f.Section(".debug_info") == nil {
		return fmt.Errorf("debug: %s has no debug info, which gdb needs for the kernel's structures: use --kernel %s (the default), or a kernel built with CONFIG_DEBUG_INFO", vmlinux, DefaultKernel)
	}
	cfg, _ := os.ReadFile(filepath.Join(buildDir, ".config"))
	if strings.Contains(string(cfg), "\nCONFIG_RANDOMIZE_BASE=y") {
		return fmt.Errorf("debug: the kernel in %s is randomized at boot (CONFIG_RANDOMIZE_BASE), so its symbols are not where its vmlinux says: use --kernel %s (the default)", buildDir, DefaultKernel)
	}
	return nil
}

// session is one debugging session in progress.
type session struct {
	o    Options
	gdb  string
	dir  string
	stub string
}

// drive runs the module's steps before the chosen one, starts gdb, runs
// the chosen step once gdb's breakpoint is armed, then the rest.
func (s *session) drive(ctx context.Context, c *check.Conn) error {
	m, step, err := s.pick(c)
	if err != nil {
		return err
	}
	for i, st := range c.Plan.Steps {
		if i < step && st.Module == m.Name {
			if err := s.runStep(c, i); err != nil {
				return err
			}
		}
	}
	notify, err := net.Listen("unix", filepath.Join(s.dir, "notify.sock"))
	if err != nil {
		return fmt.Errorf("debug: %w", err)
	}
	defer notify.Close()
	g, err := s.startGDB(m, notify.Addr().String())
	if err != nil {
		return err
	}
	said := listen(notify)
	if err := waitFor(ctx, said, g.done, "armed"); err != nil {
		g.stop()
		return fmt.Errorf("debug: gdb never armed its breakpoint: %w", err)
	}
	for i, st := range c.Plan.Steps {
		if i >= step && st.Module == m.Name {
			if err := s.runStep(c, i); err != nil {
				g.stop()
				return err
			}
		}
	}
	return s.finish(ctx, g, said)
}

// pick finds the module and the step to stop in.
func (s *session) pick(c *check.Conn) (check.SessionModule, int, error) {
	if len(c.Modules) == 0 {
		return check.SessionModule{}, 0, errors.New("debug: no module to debug")
	}
	m := c.Modules[0]
	if s.o.Module != "" {
		found := false
		for _, x := range c.Modules {
			if x.Name == s.o.Module {
				m, found = x, true
			}
		}
		if !found {
			return m, 0, fmt.Errorf("debug: no module %q among the ones built", s.o.Module)
		}
	}
	steps := check.ModuleSteps(c.Plan, m.Name)
	ins := func(i int) bool { return c.Plan.Steps[i].Action == plan.Insmod }
	if s.o.Step >= 0 && s.o.Step < len(steps) && ins(steps[s.o.Step]) {
		return m, steps[s.o.Step], nil
	}
	for _, i := range steps {
		if ins(i) {
			return m, i, nil
		}
	}
	return m, 0, fmt.Errorf("debug: %s's spec has no insmod step: nothing would run its init", m.Name)
}

func (s *session) runStep(c *check.Conn, i int) error {
	end, err := c.Step(i)
	if err != nil {
		return fmt.Errorf("debug: %w", err)
	}
	how := string(end.Status)
	if end.Errno != "" {
		how += " " + end.Errno
	}
	if end.Error != "" {
		how += ": " + end.Error
	}
	fmt.Fprintf(s.o.Stdout, "lkmlab debug: step %d (%s): %s\n", i, c.Plan.Steps[i].Name(), how)
	for _, r := range end.Log {
		if r.Facility == 0 {
			fmt.Fprintf(s.o.Stdout, "  %s\n", r.Text)
		}
	}
	return nil
}

// finish waits for gdb to be done. A batch gdb that never stopped (the
// insmod failed before the init) waits in vain: it is ended.
func (s *session) finish(ctx context.Context, g *gdbProc, said <-chan string) error {
	loaded := false
	for !loaded {
		select {
		case w := <-said:
			loaded = w == "loaded"
		case <-g.done:
			return g.err()
		case <-ctx.Done():
			g.stop()
			return ctx.Err()
		case <-time.After(10 * time.Second):
			if s.o.Batch {
				g.stop()
				return errors.New("debug: the module's init never ran (see the insmod's outcome above), so gdb never stopped in it")
			}
			fmt.Fprintln(s.o.Stderr, "lkmlab debug: the module's init has not run (see the insmod's outcome above): interrupt gdb with Ctrl-C, or quit it")
			loaded = true
		}
	}
	select {
	case <-g.done:
		return g.err()
	case <-ctx.Done():
		g.stop()
		return ctx.Err()
	}
}

// script fills in what gdb needs of the kernel and the module.
func (s *session) script(m check.SessionModule, notify string) (script, error) {
	k, err := ko.Open(m.KO)
	if err != nil {
		return script{}, fmt.Errorf("debug: %w", err)
	}
	sc := script{Vmlinux: s.o.Check.Kernel.Image, Stub: s.stub, Notify: notify, KO: m.KO, ArgReg: argRegs[s.o.Check.Kernel.Arch],
		Module: strings.ReplaceAll(k.Name, "-", "_"), Break: s.o.Break, Paths: map[string]string{}}
	if sc.Module == "" {
		sc.Module = strings.ReplaceAll(strings.TrimSuffix(filepath.Base(m.KO), ".ko"), "-", "_")
	}
	for _, sec := range k.Sections {
		if sec.Flags&elf.SHF_ALLOC != 0 && sec.Size > 0 {
			sc.Sections = append(sc.Sections, sec.Name)
		}
	}
	if sc.Break == "" {
		sc.Break = initFunction(k)
	}
	if m.BuiltIn != "" && m.Source != "" {
		if abs, err := filepath.Abs(m.Source); err == nil {
			sc.Paths[filepath.Clean(m.BuiltIn)] = abs
		}
	}
	return sc, nil
}

// argRegs is where a function's first argument is at its entry, by
// architecture ("": amd64).
var argRegs = map[string]string{"": "rdi", "amd64": "rdi", "arm64": "x0"}

// initFunction is the module's init function: the one module_init gives
// the alias init_module.
func initFunction(k *ko.Module) string {
	var at *ko.Function
	for i, f := range k.Functions {
		if f.Name == "init_module" {
			at = &k.Functions[i]
		}
	}
	if at == nil {
		return "init_module"
	}
	for _, f := range k.Functions {
		if f.Name != "init_module" && f.Section == at.Section && f.Value == at.Value {
			return f.Name
		}
	}
	return "init_module"
}
