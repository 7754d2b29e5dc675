package check

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/lkmlab/lkmlab/lab/initramfs"
	"github.com/lkmlab/lkmlab/lab/kbuild"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/version"
	"github.com/lkmlab/lkmlab/lab/vm"
)

// Options configure Run. Kernel is required; the rest of the zero value works.
type Options struct {
	Kernel *kernel.Kernel
	Accel  vm.Accel // default vm.ProbeAccel()
	// WorkDir keeps build products and initramfs images; default a temp
	// dir removed at the end.
	WorkDir string
	// Logf receives progress lines.
	Logf func(format string, args ...any)
	// Console receives each guest console line.
	Console func(line string)
	// VMTimeout bounds each VM; default 60 s for boot and power-off plus
	// every step's own timeout. The host then ends the VM.
	VMTimeout time.Duration
	// Seed makes the workloads' random values repeatable; 0 draws a new
	// seed, which the report records.
	Seed uint64
	// Sandbox confines module builds (untrusted sources); nil builds
	// them directly.
	Sandbox *kbuild.Sandbox
	// Precheck, when set, looks at each built module before any boot: it
	// may fill in the target (the names of its parameters), or refuse it,
	// which keeps it out of the VM with the refusal's verdict.
	Precheck func(t *Target, ko string) *Refusal
	// Isolate (grading) gives every module a VM of its own, restored
	// from the saved guest: nothing a module left running (or a module
	// that only looks unloaded) can see a later module's commands.
	Isolate bool
	// Quiet is how long the guest waits after each successful insmod and
	// rmmod before the step ends, so that what a module's thread prints
	// after init, and timers and work it left behind, land in the step
	// they belong to (grading sets it); 0 waits not at all.
	Quiet time.Duration
	// Baseline boots the compressed bzImage with a gzip initramfs and
	// QEMU's defaults: the untuned way, for the bench to compare against.
	Baseline bool
	// Cold boots every VM from scratch instead of restoring a saved guest
	// (see snapshot.go); SnapshotDir is where saved guests live, default
	// the cache's snapshots folder.
	Cold        bool
	SnapshotDir string
	// CacheDir is the cache's root, for the agent, built modules and
	// saved guests (the kernels have their own, kernel.Options.CacheDir);
	// default kernel.DefaultCacheDir().
	CacheDir string
	// Rebuild builds every module even when the build cache (the cache's
	// builds folder) has it from the same sources and kernel tree.
	Rebuild bool
	// BuildNames maps build-copy files ("running/running.c") to the names
	// compiler messages should show ("lab2/lkm1.c"): a grader's copies
	// carry the task's name, the student wrote their own.
	BuildNames map[string]string
}

func (o Options) cacheDir() string {
	if o.CacheDir != "" {
		return o.CacheDir
	}
	return kernel.DefaultCacheDir()
}

// Refusal keeps a built module out of the VM (Options.Precheck).
type Refusal struct {
	Verdict result.Verdict
	Cause   result.Cause
	Reason  string
}

// Run checks targets on one kernel. Every target gets a verdict; an error
// means the harness itself could not work (no QEMU, a guest that never
// starts), and says why.
func Run(ctx context.Context, targets []Target, o Options) (*result.Report, error) {
	start := time.Now()
	if o.Kernel == nil {
		return nil, errors.New("check: no kernel given")
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	if o.Accel.Name == "" {
		o.Accel = vm.ProbeAccel()
	}
	work := o.WorkDir
	if work == "" {
		var err error
		if work, err = os.MkdirTemp("", "lkmlab-check-"); err != nil {
			return nil, fmt.Errorf("check: %w", err)
		}
		defer os.RemoveAll(work)
	}
	// make -C KDIR reads M= from the kernel's tree: the folder must be
	// absolute (--work out, --out grades).
	if abs, err := filepath.Abs(work); err == nil {
		work = abs
	}
	rng, seed := newRand(seedFor(ctx, o.Seed))
	r := &result.Report{Kernel: o.Kernel.Name, Release: o.Kernel.Release, Accel: result.Accel(o.Accel), Seed: seed}
	r.Modules = make([]result.Module, len(targets))
	// The agent runs in the guest: it is built for the kernel's architecture.
	agent, sum, err := initramfs.Agent(cmp.Or(o.Kernel.Arch, "amd64"), filepath.Join(o.cacheDir(), "agent"))
	if err != nil {
		return r, err
	}
	r.Versions = versions(o.Kernel, sum)
	rn := &runner{ctx: ctx, o: o, work: work, r: r, rng: rng, agent: agent}
	if err := rn.runVMs(rn.buildAll(targets)); err != nil {
		return r, err
	}
	r.Timing.Total = time.Since(start)
	return r, nil
}

// versions records what the report's verdicts depend on, so that a run
// can be repeated on the same versions.
func versions(k *kernel.Kernel, agent string) result.Versions {
	v := version.Get()
	q, _ := vm.QEMUVersion("")
	return result.Versions{Lkmlab: v.Version, Commit: v.Commit, Agent: agent,
		KernelPackage: k.Package, KernelBuildID: k.BuildID, QEMU: q}
}

// built is a target whose module compiled.
type built struct {
	index  int // in Report.Modules
	target Target
	ko     string
	// builtIn is the folder the compiler saw: the .ko's debug info names
	// its files there.
	builtIn string
	// rerun says the module already ran again after another module's
	// leftover code interrupted it.
	rerun bool
}

// buildAll compiles the targets (see kbuild.BuildAll).
// runner is one Run in progress: what every stage of it reads or adds to.
type runner struct {
	ctx     context.Context
	o       Options
	work    string
	r       *result.Report
	rng     *rand.Rand
	agent   string           // the agent binary
	support []initramfs.File // the harness's own drivers for the guest
	// states are the saved guests restored, by boot number, as kept in
	// the work folder (Options.WorkDir) for the reproduce command.
	states map[int]string
}

func (rn *runner) buildAll(targets []Target) []built {
	ctx, o, work, r := rn.ctx, rn.o, rn.work, rn.r
	t0 := time.Now()
	dirs := make([]string, len(targets))
	for i, t := range targets {
		r.Modules[i] = result.Module{Name: t.Name}
		dirs[i] = t.Dir
	}
	o.Logf("build %d module(s)", len(targets))
	bw := filepath.Join(work, "build")
	if err := os.MkdirAll(bw, 0o755); err != nil {
		for i := range targets {
			r.Modules[i].Verdict, r.Modules[i].Error = result.BuildError, err.Error()
		}
		return nil
	}
	ko := kbuild.Options{WorkDir: bw, Sandbox: o.Sandbox, Names: o.BuildNames, Logf: o.Logf}
	if !o.Rebuild {
		ko.Cache = filepath.Join(o.cacheDir(), "builds")
	}
	mods, errs := kbuild.BuildAll(ctx, dirs, o.Kernel.BuildDir, ko)
	var ok []built
	for i, t := range targets {
		if errs[i] != nil {
			r.Modules[i].Verdict, r.Modules[i].Error = result.BuildError, errs[i].Error()
			o.Logf("build %s: failed", t.Name)
			continue
		}
		if o.Precheck != nil {
			if ref := o.Precheck(&t, mods[i].KO); ref != nil {
				r.Modules[i].Verdict, r.Modules[i].Cause, r.Modules[i].Error = ref.Verdict, ref.Cause, ref.Reason
				continue
			}
			r.Modules[i].Findings = t.Findings
		}
		if mods[i].Cached {
			o.Logf("build %s: unchanged, from the build cache", t.Name)
		}
		ok = append(ok, built{index: i, target: t, ko: mods[i].KO, builtIn: mods[i].Dir})
	}
	r.Timing.Build = time.Since(t0)
	return ok
}

// supportDrivers are the kernel modules the agent loads before anything
// else, by guest architecture. x86's make a guest panic visible to QEMU:
// its pvpanic device (ACPI QEMU0001) is pvpanic-mmio's from 5.12 on (it
// depends on pvpanic) and pvpanic's own before (5.10 has no other).
// arm64's drive the agent's channel, a virtio console on virtio-mmio
// (lab/vm's arches), which Debian builds as modules.
func supportDrivers(arch string) []string {
	if arch == "arm64" {
		return []string{"virtio_mmio", "virtio_console"}
	}
	return []string{"pvpanic-mmio", "pvpanic"}
}

func (rn *runner) runVMs(pending []built) error {
	if len(pending) == 0 {
		return nil
	}
	t0 := time.Now()
	support, err := initramfs.SupportModules(rn.o.Kernel.ModulesDir, supportDrivers(rn.o.Kernel.Arch)...)
	if err != nil {
		return err
	}
	rn.support = support
	rn.r.Timing.Initramfs += time.Since(t0)
	for len(pending) > 0 {
		// Isolated (grading), every module gets a VM of its own: its plan
		// and request carry that module only.
		batch := pending
		if rn.o.Isolate {
			batch = pending[:1]
		}
		rest, err := rn.boot(batch)
		if err != nil {
			return err
		}
		if len(rest) == len(batch) {
			return fmt.Errorf("check: the guest made no progress on %s; see the console log above", batch[0].target.Name)
		}
		pending = append(rest, pending[len(batch):]...)
	}
	return nil
}
