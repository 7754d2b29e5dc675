// Package lab is lkmlab's Go API for module tests: a folder with a kernel
// module -> a QEMU guest that loads it -> a subtest per step, judged
// against the module's spec.
//
//	func TestGreeter(t *testing.T) {
//		lab.Check(t, "./greeter") // greeter.c, Kbuild, spec.yaml
//	}
//
// The guest console streams to t.Logf. Where the host cannot run VMs the
// test is skipped with the reason, or fails when LKMLAB_REQUIRE_VM=1.
package lab

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/setup"
	"github.com/lkmlab/lkmlab/lab/spec"
)

// Option changes how Check runs.
type Option func(*config)

type config struct {
	kernel  string
	spec    string
	timeout time.Duration
}

// WithKernel picks the kernel: "debian-6.1" (default), "host", IMAGE:KDIR
// or a built kernel tree. LKMLAB_KERNEL sets the default.
func WithKernel(name string) Option { return func(c *config) { c.kernel = name } }

// WithSpec gives the spec as YAML instead of the folder's spec.yaml.
func WithSpec(yaml string) Option { return func(c *config) { c.spec = yaml } }

// WithTimeout bounds the whole check; default 10 minutes.
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// Check builds the module in dir, runs its spec's steps in a VM, and
// reports each step as a subtest. It returns the module's result for
// further assertions.
func Check(t *testing.T, dir string, opts ...Option) result.Module {
	t.Helper()
	c := config{kernel: os.Getenv("LKMLAB_KERNEL"), timeout: 10 * time.Minute}
	for _, o := range opts {
		o(&c)
	}
	target, err := loadTarget(dir, c.spec)
	if err != nil {
		t.Fatal(err)
	}
	k := RequireVM(t, c.kernel)
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	start := time.Now()
	r, err := check.Run(ctx, []check.Target{target}, check.Options{Kernel: k, Logf: t.Logf,
		Console: func(l string) { t.Logf("[%7.3fs] %s", time.Since(start).Seconds(), l) }})
	if err != nil {
		t.Fatal(err)
	}
	m := r.Modules[0]
	if m.Verdict == result.BuildError {
		t.Fatal(m.Error)
	}
	for _, s := range m.Steps {
		t.Run(s.Name, func(t *testing.T) { reportStep(t, s) })
	}
	return m
}

func loadTarget(dir, inline string) (check.Target, error) {
	if inline == "" {
		return check.Load(dir)
	}
	s, err := spec.Parse(dir+" (WithSpec)", []byte(inline))
	if err != nil {
		return check.Target{}, err
	}
	return check.Target{Name: filepath.Base(filepath.Clean(dir)), Dir: dir, Spec: s}, nil
}

func reportStep(t *testing.T, s result.Step) {
	t.Helper()
	switch s.Verdict {
	case result.Pass:
	case result.Skipped:
		t.Skip(s.Reason)
	default:
		msg := fmt.Sprintf("%s: %s", s.Verdict, s.Reason)
		if len(s.Diff) > 0 {
			msg += "\n" + strings.Join(s.Diff, "\n")
		}
		t.Error(msg)
	}
}

var (
	kernelsMu sync.Mutex
	kernels   = map[string]*kernel.Kernel{}
)

// RequireVM returns the kernel to boot, fetched into the cache once per
// process, or skips the test saying what the host lacks for that kernel
// and the command that installs it; with LKMLAB_REQUIRE_VM=1 (CI) it
// fails instead.
func RequireVM(t testing.TB, kernelName string) *kernel.Kernel {
	t.Helper()
	if testing.Short() {
		skipOrFail(t, "VM test skipped in -short mode")
	}
	// What booting this kernel needs, and nothing only lkmlab's own tests
	// use (xmllint): a library user's test must not skip for it.
	if err := setup.CheckCommand("check", kernelName, kernel.Options{}); err != nil {
		skipOrFail(t, "%v", err)
	}
	kernelsMu.Lock()
	defer kernelsMu.Unlock()
	if k, ok := kernels[kernelName]; ok {
		return k
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	k, err := kernel.Resolve(ctx, kernelName, kernel.Options{Logf: t.Logf})
	if err != nil {
		skipOrFail(t, "no kernel to boot: %v", err)
	}
	kernels[kernelName] = k
	return k
}

func skipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("LKMLAB_REQUIRE_VM") == "1" {
		t.Fatalf("%s (LKMLAB_REQUIRE_VM=1: VM tests must run)", msg)
	}
	t.Skip(msg)
}
