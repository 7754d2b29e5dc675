// Package bench times the pipeline: modules + kernels -> source-to-verdict
// timings per stage, for lkmlab's paths and an untuned baseline.
package bench

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/vm"
)

// Path is one way of running a check.
type Path string

// The paths the bench compares.
const (
	// Snapshot is lkmlab's default: the guest restored from its saved
	// state, unchanged modules from the build cache.
	Snapshot Path = "snapshot"
	// Rebuilt is Snapshot with every module compiled again: the time
	// after editing a module.
	Rebuilt Path = "snapshot+build"
	// Cold boots the kernel (tuned: vmlinux, uncompressed initramfs).
	Cold Path = "cold boot"
	// Baseline is the naive way: compile, Debian's bzImage, a gzip
	// initramfs, QEMU's defaults, full boot log, wait for power-off.
	Baseline Path = "baseline"
)

func (p Path) options() check.Options {
	switch p {
	case Rebuilt:
		return check.Options{Rebuild: true}
	case Cold:
		return check.Options{Cold: true}
	case Baseline:
		return check.Options{Baseline: true, Rebuild: true}
	}
	return check.Options{}
}

// Set is a named group of modules checked together in one run, and the
// paths to time it on.
type Set struct {
	Name    string
	Targets []check.Target
	Paths   []Path
}

// Options configure Run. Kernels and Sets are required.
type Options struct {
	Kernels []*kernel.Kernel
	Sets    []Set
	Runs    int // measured runs per set and path, after one warm-up; default 3
	Logf    func(format string, args ...any)
}

// Row is the median timing of one set on one path and kernel.
type Row struct {
	Kernel   string
	Set      string
	Path     Path
	Timing   result.Timing
	Runs     int
	Boots    int // VMs per run
	Restored int // of which restored from a snapshot
}

// Result is a bench run.
type Result struct {
	Accel string
	Runs  int
	Rows  []Row
}

// Run warms the caches with one run, then times Runs runs of each set on
// each path and kernel. Every run must pass: a timing of a failing check
// means nothing.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Runs <= 0 {
		o.Runs = 3
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	accel := vm.ProbeAccel()
	res := &Result{Accel: accel.Name, Runs: o.Runs}
	for _, k := range o.Kernels {
		for _, set := range o.Sets {
			for _, p := range set.Paths {
				row, err := timeSet(ctx, cell{k, set, p, accel}, o)
				if err != nil {
					return nil, err
				}
				res.Rows = append(res.Rows, row)
			}
		}
	}
	return res, nil
}

// cell is one row of the bench: a set of modules on a kernel, on a path.
type cell struct {
	k     *kernel.Kernel
	set   Set
	p     Path
	accel vm.Accel
}

func timeSet(ctx context.Context, c cell, o Options) (Row, error) {
	k, set, p, accel := c.k, c.set, c.p, c.accel
	var ts []result.Timing
	row := Row{Kernel: k.Name, Set: set.Name, Path: p}
	for i := 0; i <= o.Runs; i++ {
		co := p.options()
		co.Kernel, co.Accel = k, accel
		r, err := check.Run(ctx, set.Targets, co)
		if err != nil {
			return Row{}, fmt.Errorf("bench %s %s on %s: %w", set.Name, p, k.Name, err)
		}
		if !r.Passed() {
			var why []string
			for _, m := range r.Modules {
				if m.Verdict != result.Pass {
					why = append(why, fmt.Sprintf("%s: %s: %s", m.Name, m.Verdict, m.Problem()))
				}
			}
			return Row{}, fmt.Errorf("bench %s %s on %s, seed %d: a module did not pass:\n%s", set.Name, p, k.Name, r.Seed, strings.Join(why, "\n"))
		}
		o.Logf("bench %s: %s, %s, run %d: %.2fs", k.Name, set.Name, p, i, r.Timing.Total.Seconds())
		if i > 0 { // run 0 warms the caches (and saves the snapshot)
			ts = append(ts, r.Timing)
		}
		row.Boots, row.Restored = r.Boots, r.Restored
	}
	row.Timing, row.Runs = median(ts), len(ts)
	return row, nil
}

// median takes each stage's median on its own.
func median(ts []result.Timing) result.Timing {
	pick := func(f func(result.Timing) time.Duration) time.Duration {
		ds := make([]time.Duration, len(ts))
		for i, t := range ts {
			ds[i] = f(t)
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds[len(ds)/2]
	}
	return result.Timing{
		Build:     pick(func(t result.Timing) time.Duration { return t.Build }),
		Initramfs: pick(func(t result.Timing) time.Duration { return t.Initramfs }),
		Boot:      pick(func(t result.Timing) time.Duration { return t.Boot }),
		Restore:   pick(func(t result.Timing) time.Duration { return t.Restore }),
		Steps:     pick(func(t result.Timing) time.Duration { return t.Steps }),
		StepWork:  pick(func(t result.Timing) time.Duration { return t.StepWork }),
		Finish:    pick(func(t result.Timing) time.Duration { return t.Finish }),
		Shutdown:  pick(func(t result.Timing) time.Duration { return t.Shutdown }),
		Total:     pick(func(t result.Timing) time.Duration { return t.Total }),
	}
}

// Write prints the result: the stages of each row, where the time of
// each row goes, and how the rows measure up to the targets. Each path's
// total is compared with the snapshot path's for the same kernel and set.
func Write(w io.Writer, r *Result) error {
	fmt.Fprintf(w, "source to verdict, warm caches, accel %s (median of %d runs after a warm-up run)\n\n", r.Accel, r.Runs)
	if err := writeStages(w, r); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nwhere the time goes\n\n")
	if err := writeBreakdown(w, r); err != nil {
		return err
	}
	for _, l := range legend {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\ntargets (issue 17)\n\n")
	return writeTargets(w, r)
}

// legend says what the paths and the columns are.
var legend = []string{
	"",
	"snapshot: the guest restored from the state saved after its first boot (QMP migrate; -incoming), the plan and",
	"  modules sent over the agent's serial channel; modules unchanged since the last build come from the build cache.",
	"snapshot+build: the same with every module compiled again (the time after an edit).",
	"cold boot: uncompressed vmlinux (PVH entry), uncompressed initramfs, -nodefaults, 2 CPUs, quiet boot.",
	"baseline: compile, the compressed bzImage, gzip initramfs, QEMU's default machine (1 CPU; 512 MiB, as the",
	"  workloads need), full boot log, wait for the guest's power-off.",
	"boot: QEMU start to the agent's first record (host clock; for a restore, loading the state); shutdown: the rest.",
	"restore: QEMU start to the saved state loaded (host clock; - for a cold boot); agent wake-up: the rest of boot",
	"  (for a restore, the plan and modules sent over the channel and the agent's ready record; for a cold boot, all",
	"  of it). steps, on the guest's clock: step work, each step's begin record to its end record; finish, the last",
	"  step's end record to the done record (ending the last module, the agent's linger, the leak scan); between",
	"  steps, the rest (the host's round trip and the agent's wake-up for each command, ending every other module).",
	"  Each column is a median of its own, so the columns need not add up to the row's total.",
}

// writeStages prints the first table: each row's stages and total.
func writeStages(w io.Writer, r *Result) error {
	snap := map[string]time.Duration{}
	for _, row := range r.Rows {
		if row.Path == Snapshot {
			snap[row.Kernel+"\x00"+row.Set] = row.Timing.Total
		}
	}
	header := []string{"kernel", "modules", "path", "VMs", "build", "initramfs", "boot", "steps", "shutdown", "total", "vs snapshot"}
	return writeTable(w, header, r.Rows, func(row Row) []string {
		t := row.Timing
		ratio := ""
		if s := snap[row.Kernel+"\x00"+row.Set]; s > 0 && row.Path != Snapshot {
			ratio = fmt.Sprintf("%.1fx", t.Total.Seconds()/s.Seconds())
		}
		vms := fmt.Sprint(row.Boots)
		if row.Restored > 0 {
			vms += fmt.Sprintf(" (%d restored)", row.Restored)
		}
		return []string{row.Kernel, row.Set, string(row.Path), vms, secs(t.Build),
			secs(t.Initramfs), secs(t.Boot), secs(t.Steps), secs(t.Shutdown), secs(t.Total), ratio}
	})
}

// writeBreakdown prints the second table: each row's boot and steps taken
// apart, to show which part a speed-up has to come from.
func writeBreakdown(w io.Writer, r *Result) error {
	header := []string{"kernel", "modules", "path", "restore", "agent wake-up", "step work", "between steps", "finish", "shutdown"}
	return writeTable(w, header, r.Rows, func(row Row) []string {
		t := row.Timing
		restore := "-" // a cold boot has no state to load
		if t.Restore > 0 {
			restore = secs(t.Restore)
		}
		return []string{row.Kernel, row.Set, string(row.Path), restore,
			secs(max(0, t.Boot-t.Restore)), secs(t.StepWork), secs(t.Between()), secs(t.Finish), secs(t.Shutdown)}
	})
}

// writeTable prints rows right-aligned under header, a blank line
// between kernels.
func writeTable(w io.Writer, header []string, rows []Row, cells func(Row) []string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(header, "\t")+"\t")
	last := ""
	for _, row := range rows {
		if last != "" && row.Kernel != last {
			fmt.Fprintln(tw, strings.Repeat("\t", len(header)))
		}
		last = row.Kernel
		fmt.Fprintln(tw, strings.Join(cells(row), "\t")+"\t")
	}
	return tw.Flush()
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }
