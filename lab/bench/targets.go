package bench

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// The targets of issue 17 ("Speed, round two"), on a set's total source
// to verdict. They name the sets as lkmlab bench makes them: each module
// alone by its name, and all of them as AllName.

// AllName is the name of the set of all n modules.
func AllName(n int) string { return fmt.Sprintf("all %d", n) }

// Goal is one target for a set's total on a path: at most Max, or, with
// ColdShare, at most that share of the same set's cold boot in the same
// bench run (on the same kernel).
type Goal struct {
	Set       string
	Path      Path
	Max       time.Duration
	ColdShare int // the cold boot's total over this
}

// Goals are issue 17's targets for checks; the six are the seed modules.
var Goals = []Goal{
	{Set: "hello", Path: Snapshot, Max: 400 * time.Millisecond},
	{Set: "hello", Path: Snapshot, ColdShare: 10},
	{Set: "hello", Path: Rebuilt, Max: 1500 * time.Millisecond},
	{Set: AllName(6), Path: Snapshot, Max: 2500 * time.Millisecond},
}

// GradeTarget is issue 17's goal for grading: clean submissions per
// minute, at least.
const GradeTarget = 40.0

// writeTargets prints, per kernel, each target beside the measured total,
// whether it is met, and the total's ratio to the same set's cold boot and
// baseline. A target whose rows the run did not time is not measured: a
// bench of some modules says nothing about the others.
func writeTargets(w io.Writer, r *Result) error {
	rows, seen := map[string]Row{}, map[string]bool{}
	var kernels []string
	for _, row := range r.Rows {
		if !seen[row.Kernel] {
			seen[row.Kernel], kernels = true, append(kernels, row.Kernel)
		}
		rows[key(row.Kernel, row.Set, row.Path)] = row
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "kernel\tmodules\tpath\tmeasured\ttarget\tresult\tvs cold boot\tvs baseline\t")
	for i, k := range kernels {
		if i > 0 {
			fmt.Fprintln(tw, "\t\t\t\t\t\t\t\t")
		}
		for _, t := range Goals {
			row, ok := rows[key(k, t.Set, t.Path)]
			cold, hasCold := rows[key(k, t.Set, Cold)]
			base, hasBase := rows[key(k, t.Set, Baseline)]
			limit, at := t.Max, secs(t.Max)
			if t.ColdShare > 0 {
				limit = cold.Timing.Total / time.Duration(t.ColdShare)
				at = fmt.Sprintf("cold boot / %d", t.ColdShare)
				if hasCold {
					at += " = " + secs(limit)
				}
			}
			measured, verdict, vsCold, vsBase := "-", "not measured", "-", "-"
			if ok {
				measured = secs(row.Timing.Total)
			}
			if ok && (hasCold || t.ColdShare == 0) {
				verdict = "not met"
				if row.Timing.Total <= limit {
					verdict = "met"
				}
			}
			if ok && hasCold {
				vsCold = ratio(row.Timing.Total, cold.Timing.Total)
			}
			if ok && hasBase {
				vsBase = ratio(row.Timing.Total, base.Timing.Total)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\tat most %s\t%s\t%s\t%s\t\n", k, t.Set, t.Path, measured, at, verdict, vsCold, vsBase)
		}
	}
	return tw.Flush()
}

func key(kernel, set string, p Path) string { return kernel + "\x00" + set + "\x00" + string(p) }

// ratio is a over b, to two places: the targets ask for a tenth.
func ratio(a, b time.Duration) string {
	if b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", a.Seconds()/b.Seconds())
}
