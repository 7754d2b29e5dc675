package check

import (
	"slices"
	"strings"

	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/verdict"
)

// chargeTail charges the kernel failures the console shows after the VM's
// last step ended: while the agent lingered before its Done (grading), a
// timer, work item or thread a module left at rmmod ran into its freed
// code. Each goes to the module whose freed code the fault was in, else
// to the module of the last step (in grading, the VM's only module).
func chargeTail(v *vmPlan, recs *records, console []kmsg.Line, r *result.Report) {
	wins := windows(console, len(v.p.Steps))
	last := -1
	for i := range v.p.Steps {
		if recs.begin[i] != nil || recs.end[i] != nil {
			last = i
		}
	}
	// A last step that never ended has its failures already.
	w, ok := wins[last]
	if last < 0 || recs.end[last] == nil || !ok || !w.ended {
		return
	}
	var tail []kmsg.Line
	for _, l := range console[w.to:] {
		if l.HasTime && !strings.HasPrefix(l.Text, "lkmlab: ") {
			tail = append(tail, l)
		}
	}
	// kmemleak's reports come from the leak scan at the end of the run,
	// which gives each leak to the step that allocated it (attributeLeaks):
	// they are not code left running.
	fs := slices.DeleteFunc(kmsg.Scan(tail), func(f *kmsg.Failure) bool {
		return f.Kind == kmsg.Bug && strings.HasPrefix(f.Title, "kmemleak: ")
	})
	if len(fs) == 0 {
		return
	}
	ranges := codeRanges(v, recs)
	for _, f := range fs[:min(len(fs), verdict.MaxFailures)] {
		c := culprit(f, ranges)
		if c < 0 {
			c = v.owners[last]
		}
		charge(&r.Modules[v.pending[c].index], f, "the end of its VM's run")
	}
}
