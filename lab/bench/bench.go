// Package bench times the pipeline: modules + kernel -> source-to-verdict
// timings per stage for lkmlab's path and for an untuned baseline.
package bench

import (
	"context"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/vm"
)

// Set is a named group of modules checked together in one run.
type Set struct {
	Name    string
	Targets []check.Target
}

// Options configure Run. Kernel and Sets are required.
type Options struct {
	Kernel *kernel.Kernel
	Sets   []Set
	Runs   int // measured runs per set and path, after one warm-up; default 3
	Logf   func(format string, args ...any)
}

// Row is the median timing of one set on one path.
type Row struct {
	Set    string
	Path   string
	Timing check.Timing
	Runs   int
	Boots  int
}

// Result is a bench run.
type Result struct {
	Kernel, Accel string
	Rows          []Row // per set: lkmlab, then the baseline
}

// Run warms the caches with one run, then times Runs runs of each set on
// each path. Every run must pass: a timing of a failing check means nothing.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Runs <= 0 {
		o.Runs = 3
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	accel := vm.ProbeAccel()
	res := &Result{Kernel: o.Kernel.Name + " (" + o.Kernel.Release + ")", Accel: accel.Name}
	for _, set := range o.Sets {
		for _, baseline := range []bool{false, true} {
			row, err := timeSet(ctx, set, baseline, accel, o)
			if err != nil {
				return nil, err
			}
			res.Rows = append(res.Rows, row)
		}
	}
	return res, nil
}

func timeSet(ctx context.Context, set Set, baseline bool, accel vm.Accel, o Options) (Row, error) {
	path := map[bool]string{false: "lkmlab", true: "baseline"}[baseline]
	var ts []check.Timing
	boots := 0
	for i := 0; i <= o.Runs; i++ {
		r, err := check.Run(ctx, set.Targets, check.Options{Kernel: o.Kernel, Accel: accel, Baseline: baseline})
		if err != nil {
			return Row{}, fmt.Errorf("bench %s %s: %w", set.Name, path, err)
		}
		if !r.Passed() {
			return Row{}, fmt.Errorf("bench %s %s: a module did not pass: run lkmlab check to see why", set.Name, path)
		}
		o.Logf("bench %s %s run %d: %.2fs", set.Name, path, i, r.Timing.Total.Seconds())
		if i > 0 { // run 0 warms the caches
			ts = append(ts, r.Timing)
		}
		boots = r.Boots
	}
	return Row{Set: set.Name, Path: path, Timing: median(ts), Runs: len(ts), Boots: boots}, nil
}

// median takes each stage's median on its own.
func median(ts []check.Timing) check.Timing {
	pick := func(f func(check.Timing) time.Duration) time.Duration {
		ds := make([]time.Duration, len(ts))
		for i, t := range ts {
			ds[i] = f(t)
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds[len(ds)/2]
	}
	return check.Timing{
		Build:     pick(func(t check.Timing) time.Duration { return t.Build }),
		Initramfs: pick(func(t check.Timing) time.Duration { return t.Initramfs }),
		Boot:      pick(func(t check.Timing) time.Duration { return t.Boot }),
		Steps:     pick(func(t check.Timing) time.Duration { return t.Steps }),
		Shutdown:  pick(func(t check.Timing) time.Duration { return t.Shutdown }),
		Total:     pick(func(t check.Timing) time.Duration { return t.Total }),
	}
}

// Write prints the result as a table.
func Write(w io.Writer, r *Result) error {
	runs := 0
	if len(r.Rows) > 0 {
		runs = r.Rows[0].Runs
	}
	fmt.Fprintf(w, "source to verdict, warm, kernel %s, accel %s (median of %d runs)\n\n", r.Kernel, r.Accel, runs)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "modules\tpath\tboots\tbuild\tinitramfs\tboot\tsteps\tshutdown\ttotal\tvs lkmlab\t")
	var fast time.Duration
	for _, row := range r.Rows {
		t := row.Timing
		ratio := ""
		if row.Path == "lkmlab" {
			fast = t.Total
		} else if fast > 0 {
			ratio = fmt.Sprintf("%.1fx", t.Total.Seconds()/fast.Seconds())
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", row.Set, row.Path, row.Boots, secs(t.Build),
			secs(t.Initramfs), secs(t.Boot), secs(t.Steps), secs(t.Shutdown), secs(t.Total), ratio)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nlkmlab: uncompressed vmlinux (PVH entry), uncompressed initramfs, -nodefaults, 2 CPUs, quiet boot,")
	fmt.Fprintln(w, "  one Kbuild run for all modules, all modules in one boot.")
	fmt.Fprintln(w, "baseline: Debian's bzImage, gzip initramfs, QEMU's default machine (1 CPU; 512 MiB, as the workloads need), full boot log.")
	_, err := fmt.Fprintln(w, "boot: QEMU start to the agent's first record (host clock); shutdown: the rest of the VM's life.")
	return err
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }
