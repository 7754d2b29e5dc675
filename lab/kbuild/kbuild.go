// Package kbuild compiles a module: C source folder + kernel build tree -> .ko.
package kbuild

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

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
}

// Module is a built module.
type Module struct {
	Name string // the folder's name
	KO   string // path to the .ko
	Dir  string // the build folder: the paths in the .ko's debug info
	// Cached says the .ko came from Options.Cache, not a build.
	Cached bool
}

// Build copies srcDir's sources to a work folder and runs
// `make -C kdir M=<work> modules` there.
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
	if err := runMake(ctx, srcDir, work, kdir, opts); err != nil {
		return nil, err
	}
	kos, _ := filepath.Glob(filepath.Join(work, "*.ko"))
	if len(kos) != 1 {
		return nil, fmt.Errorf("build %s: make made %d .ko files, want 1 (the Kbuild must name one module)", name, len(kos))
	}
	return &Module{Name: name, KO: kos[0], Dir: work}, nil
}

func runMake(ctx context.Context, srcDir, work, kdir string, opts Options) error {
	name := filepath.Base(filepath.Clean(srcDir))
	if _, err := os.Stat(filepath.Join(kdir, "Makefile")); err != nil {
		return fmt.Errorf("build %s: kernel build tree %s has no Makefile: %w", name, kdir, err)
	}
	mk := opts.Make
	if mk == "" {
		mk = "make"
	}
	if _, err := exec.LookPath(mk); err != nil {
		return fmt.Errorf("build %s: %s not found: apt-get install make gcc-12", name, mk)
	}
	// BTF for modules needs pahole and nothing here reads it: the make
	// variable overrides the kernel config's.
	argv := append([]string{mk, "-C", kdir, "M=" + work, "CONFIG_DEBUG_INFO_BTF_MODULES="}, opts.ExtraArgs...)
	argv = append(argv, "modules")
	if opts.Sandbox != nil {
		var err error
		if argv, err = opts.Sandbox.wrap(work, argv); err != nil {
			return fmt.Errorf("build %s: %w", name, err)
		}
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var out bytes.Buffer
	w := io.Writer(&out)
	if opts.Output != nil {
		w = io.MultiWriter(&out, opts.Output)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Run(); err != nil {
		return &Error{Module: name, Src: srcDir, Dir: work, Output: out.String(), Err: err}
	}
	return nil
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

// Error is a failed build; it carries the compiler's output.
type Error struct {
	Module string
	Src    string // the module's folder, as the user named it
	Dir    string // the build copy the compiler saw
	Output string
	Err    error
}

// Diagnostics returns the compiler's error and warning lines, with the
// build copy's paths turned back into the module's own, or the last lines
// of the output when there are none.
func (e *Error) Diagnostics() []string {
	var diags []string
	lines := strings.Split(strings.TrimRight(e.Output, "\n"), "\n")
	for i, l := range lines {
		if e.Dir != "" {
			l = strings.ReplaceAll(l, e.Dir+"/", filepath.Clean(e.Src)+"/")
			lines[i] = l
		}
		if strings.Contains(l, "error:") || strings.Contains(l, "warning:") || strings.Contains(l, "undefined!") {
			diags = append(diags, l)
		}
	}
	if len(diags) == 0 && len(lines) > 0 {
		diags = lines[max(0, len(lines)-10):]
	}
	return diags
}

func (e *Error) Error() string {
	d := e.Diagnostics()
	shown := d[:min(len(d), 20)]
	msg := fmt.Sprintf("build %s: make: %v\n  %s", e.Module, e.Err, strings.Join(shown, "\n  "))
	if len(d) > len(shown) {
		msg += fmt.Sprintf("\n  (%d lines omitted)", len(d)-len(shown))
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }
