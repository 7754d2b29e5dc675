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

// Options configure Run. Kernel and Targets are required.
type Options struct {
	Kernel  *kernel.Kernel
	Targets []check.Target
	Runs    int // measured runs per path, after one warm-up; default 3
	Logf    func(format string, args ...any)
}

// Row is the median timing of one path.
type Row struct {
	Path   string
	Timing check.Timing
	Runs   int
}

// Result is a bench run.
type Result struct {
	Kernel, Accel string
	Modules       int
	Rows          []Row // lkmlab first, then the baseline
}

// Run warms the caches with one run, then times Runs runs of each path.
// Every run must pass: a timing of a failing check means nothing.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Runs <= 0 {
		o.Runs = 3
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	accel := vm.ProbeAccel()
	res := &Result{Kernel: o.Kernel.Name + " (" + o.Kernel.Release + ")", Accel: accel.Name, Modules: len(o.Targets)}
	for _, path := range []struct {
		name     string
		baseline bool
	}{{"lkmlab", false}, {"baseline", true}} {
		var ts []check.Timing
		for i := 0; i <= o.Runs; i++ {
			r, err := check.Run(ctx, o.Targets, check.Options{Kernel: o.Kernel, Accel: accel, Baseline: path.baseline})
			if err != nil {
				return nil, fmt.Errorf("bench %s: %w", path.name, err)
			}
			if !r.Passed() {
				return nil, fmt.Errorf("bench %s: a module did not pass: run lkmlab check to see why", path.name)
			}
			o.Logf("bench %s run %d: %.2fs", path.name, i, r.Timing.Total.Seconds())
			if i > 0 { // run 0 warms the caches
				ts = append(ts, r.Timing)
			}
		}
		res.Rows = append(res.Rows, Row{Path: path.name, Timing: median(ts), Runs: len(ts)})
	}
	return res, nil
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
	fmt.Fprintf(w, "source to verdict, warm, %d module(s), kernel %s, accel %s (median of %d runs)\n\n",
		r.Modules, r.Kernel, r.Accel, r.Rows[0].Runs)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "path\tbuild\tinitramfs\tboot\tsteps\tshutdown\ttotal\t")
	for _, row := range r.Rows {
		t := row.Timing
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", row.Path, secs(t.Build), secs(t.Initramfs),
			secs(t.Boot), secs(t.Steps), secs(t.Shutdown), secs(t.Total))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Rows) == 2 && r.Rows[0].Timing.Total > 0 {
		ratio := r.Rows[1].Timing.Total.Seconds() / r.Rows[0].Timing.Total.Seconds()
		fmt.Fprintf(w, "\nbaseline / lkmlab: %.1fx\n", ratio)
	}
	fmt.Fprintln(w, "\nlkmlab: uncompressed vmlinux (PVH entry), uncompressed initramfs, -nodefaults, 2 CPUs, quiet boot.")
	fmt.Fprintln(w, "baseline: Debian's bzImage, gzip initramfs, QEMU's default machine (1 CPU, 128 MiB), full boot log.")
	_, err := fmt.Fprintln(w, "boot: QEMU start to the agent's first record (host clock); shutdown: the rest of the VM's life.")
	return err
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }
