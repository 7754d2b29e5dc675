// Package kbuild compiles a module: C source folder + kernel build tree -> .ko.
//
// A module whose Kbuild is one "obj-m := NAME.o" line builds directly:
// the commands make would run, read once per kernel tree from a probe
// module's .cmd files and kept as a recipe in the cache, run in one shell
// without make (a quarter of the time). Any other module, and every
// module when LKMLAB_KBUILD=make is set, builds with make.
package kbuild

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/lkmlab/lkmlab/lab/command"
)

// DefaultTimeout is a build's wall-clock limit when Options.Timeout is 0:
// a module builds in seconds, and a build that reads a pipe or loops in a
// $(shell) would otherwise hold a grader forever.
const DefaultTimeout = 2 * time.Minute

// Options configure Build. The zero value works.
type Options struct {
	// WorkDir receives a copy of the sources and the build products; the
	// source folder is never written. Default: a new temp dir.
	WorkDir string
	// Make is the make binary; default "make".
	Make string
	// ExtraArgs are passed to make, e.g. "W=1".
	ExtraArgs []string
	// Output receives make's output as it runs; nil discards it.
	Output io.Writer
	// Sandbox, when set, confines make and the compiler (untrusted code).
	Sandbox *Sandbox
	// Cache, when set, is a folder of earlier builds: a module whose
	// sources, kernel tree and arguments are unchanged is not built again.
	Cache string
	// Timeout is each make run's wall-clock limit, after which its whole
	// process group is killed; 0 means DefaultTimeout.
	Timeout time.Duration
	// Names maps the build copy's file names to the names people know,
	// in error messages: "running.c" -> "lab2/lkm1.c". A key
	// "<module>/<file>" names one module's file where several modules
	// share a file name. A grader passes the student's names; nil shows
	// the module folder's paths.
	Names map[string]string
	// Logf receives notes, such as the sandbox falling back to
	// per-process limits; nil discards them.
	Logf func(format string, args ...any)
}

// Module is a built module.
type Module struct {
	Name string // the folder's name
	KO   string // path to the .ko
	Dir  string // the build folder: the paths in the .ko's debug info
	// Cached says the .ko came from Options.Cache, not a build.
	Cached bool
}

// Build copies srcDir's sources to a work folder and builds them there:
// directly from the tree's recipe when the module allows it, else with
// `make -C kdir M=<work> modules`.
func Build(ctx context.Context, srcDir, kdir string, opts Options) (*Module, error) {
	name := filepath.Base(filepath.Clean(srcDir))
	work := opts.WorkDir
	if work == "" {
		var err error
		if work, err = os.MkdirTemp("", "lkmlab-kbuild-"); err != nil {
			return nil, fmt.Errorf("build %s: %w", name, err)
		}
	}
	work = filepath.Join(work, name)
	if err := copySources(srcDir, work); err != nil {
		return nil, fmt.Errorf("build %s: %w", name, err)
	}
	if err := runMake(ctx, makeJob{srcDir, work, kdir}, opts); err != nil {
		return nil, err
	}
	kos, _ := filepath.Glob(filepath.Join(work, "*.ko"))
	if len(kos) != 1 {
		return nil, fmt.Errorf("build %s: make made %d .ko files, want 1 (the Kbuild must name one module)", name, len(kos))
	}
	return &Module{Name: name, KO: kos[0], Dir: work}, nil
}

// makeJob is one make run: the module as the user named it, its copy in
// work, and the kernel build tree.
type makeJob struct{ src, work, kdir string }

// runMake builds the module copy in work: directly from the tree's
// recipe when it can (direct.go), else with make. A failed build is an
// *Error that names the module's files and hides host paths.
func runMake(ctx context.Context, j makeJob, opts Options) error {
	name := filepath.Base(filepath.Clean(j.src))
	if _, err := os.Stat(filepath.Join(j.kdir, "Makefile")); err != nil {
		return fmt.Errorf("build %s: kernel build tree %s has no Makefile: %w", name, j.kdir, err)
	}
	mk := or2(opts.Make, "make")
	if _, err := exec.LookPath(mk); err != nil {
		return fmt.Errorf("build %s: %s not found: apt-get install make gcc-12", name, mk)
	}
	tc, err := ToolchainFor(j.kdir)
	if err != nil {
		return fmt.Errorf("build %s: %w", name, err)
	}
	if tc.Note != "" && opts.Logf != nil {
		opts.Logf("build %s: %s", name, tc.Note)
	}
	out, stopped, err := execute(ctx, j.work, buildArgv(ctx, j, opts), opts)
	return buildError(j, opts, result{out, stopped, err})
}

// buildArgv is the command that builds j: the tree's recipe in one shell
// when the module allows it (direct.go), else make.
func buildArgv(ctx context.Context, j makeJob, opts Options) []string {
	if script, ok := directScript(ctx, j, opts); ok {
		return []string{"sh", "-c", script}
	}
	return makeArgv(j.kdir, j.work, opts)
}

// makeArgv is the make command line that builds the module in work.
func makeArgv(kdir, work string, opts Options) []string {
	tc, _ := ToolchainFor(kdir)
	// BTF for modules needs pahole and nothing here reads it: the make
	// variable overrides the kernel config's.
	argv := append([]string{or2(opts.Make, "make"), "-C", kdir, "M=" + work, "CONFIG_DEBUG_INFO_BTF_MODULES="}, tc.Args()...)
	argv = append(argv, opts.ExtraArgs...)
	return append(argv, "modules")
}

// result is what execute returned.
type result struct {
	out     []byte
	stopped string
	err     error
}

// buildError turns a build's result into nil, the module's *Error, or
// the harness's error.
func buildError(j makeJob, opts Options, r result) error {
	if r.err == nil {
		return nil
	}
	name := filepath.Base(filepath.Clean(j.src))
	// Only a build that ran and failed is the module's error; a cancelled
	// or unstartable one is the harness's.
	var ce *command.Error
	if !errors.As(r.err, &ce) || ce.How == command.Canceled || ce.How == command.NotStarted {
		return fmt.Errorf("build %s: %w", name, r.err)
	}
	var ro []string
	if opts.Sandbox != nil {
		ro = opts.Sandbox.ReadOnly
	}
	return &Error{Module: name, Src: j.src, Dir: j.work, Output: string(r.out), Err: r.err,
		Names: opts.Names, Stopped: r.stopped, hide: hostPaths(j.kdir, opts.WorkDir, ro)}
}

// execute runs argv for a build in work: in the sandbox when opts has one,
// under the wall-clock limit, with output through a file (a source that
// includes /proc/self/fd/1 reads a file, not its own pipe). stopped names
// the limit that ended it, if one did.
func execute(ctx context.Context, work string, argv []string, opts Options) (out []byte, stopped string, err error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ro := command.Options{ThroughFile: true, Output: opts.Output, Timeout: timeout}
	var sb *sandboxRun
	if opts.Sandbox != nil {
		logf := opts.Logf
		if logf == nil {
			logf = func(string, ...any) {}
		}
		if sb, err = opts.Sandbox.start(work, argv, logf); err != nil {
			return nil, "", err
		}
		defer sb.close()
		argv, ro = sb.argv, sb.options(ro)
	}
	out, err = command.Run(ctx, argv, ro)
	var ce *command.Error
	switch {
	case err == nil:
	case errors.As(err, &ce) && ce.How == command.TimedOut:
		stopped = fmt.Sprintf("its time limit (%v)", timeout)
	case sb != nil:
		stopped = sb.stopped()
	}
	return out, stopped, err
}

// copySources copies the regular files a Kbuild build reads (C, headers,
// Kbuild, assembly). A Makefile is not copied: the Kbuild file describes
// the module, and nothing else of the folder's runs.
func copySources(src, dst string) error {
	if err := copyFiles(src, dst, isSource); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dst, "Kbuild")); err != nil {
		return errors.New("no Kbuild file: add one line such as 'obj-m := " + filepath.Base(src) + ".o'")
	}
	return nil
}

// copyFiles copies src's regular files whose names keep accepts.
func copyFiles(src, dst string, keep func(string) bool) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !keep(e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func isSource(n string) bool {
	switch filepath.Ext(n) {
	case ".c", ".h", ".S":
		return true
	}
	return n == "Kbuild"
}
