package grade

import (
	"strings"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/spec"
)

// Score gives partial credit for one task from its judged steps, part by
// part, the way a teaching assistant reads them: the format and the truth
// of what it prints are separate (right values in other words earn truth),
// the probes (bad input) are scored on robustness alone, and whatever a
// step leaves behind (a leaked reference, new taint, the module still
// loaded) costs the unload part, or the robust part on a probe. A step that
// never ran achieved nothing, except an rmmod skipped because the insmod
// before it failed cleanly: there was nothing to remove, and the failed
// insmod has cost the load part. Unload needs the module to have been
// removed once; a module the grader cannot trust (integrity) earns
// nothing.
func Score(t assign.Task, m result.Module) assign.Points {
	var p assign.Points
	if m.Verdict == result.BuildError || m.Verdict == result.Integrity {
		return p
	}
	p.Build = t.Points.Build
	if len(m.Steps) == 0 || len(m.Steps) != len(t.Loaded.Steps) {
		return p // kept out of the VM (a missing parameter)
	}
	var g tally
	for i, s := range m.Steps {
		g.add(t.Loaded.Steps[i], s)
	}
	if g.load {
		p.Load = t.Points.Load
	}
	if g.output {
		p.Output = t.Points.Output
	}
	if g.truth {
		p.Truth = t.Points.Truth
	}
	if g.unload && (g.load || g.unloaded) {
		p.Unload = t.Points.Unload
	}
	if g.robust {
		p.Robust = t.Points.Robust
	}
	return p
}

// tally is what every step of a task achieved, part by part.
type tally struct {
	started                             bool
	load, output, truth, unload, robust bool
	// unloaded: some rmmod removed the module; notLoaded: the last
	// insmod failed cleanly, so the module is not there to remove.
	unloaded, notLoaded bool
}

func (g *tally) add(want spec.Step, s result.Step) {
	if !g.started {
		g.started = true
		g.load, g.output, g.truth, g.unload, g.robust = true, true, true, true, true
	}
	if want.Probe {
		g.robust = g.robust && s.Ran() && s.Verdict == result.Pass
		return
	}
	if want.Action == "rmmod" && s.Cause == result.AfterFailed && g.notLoaded {
		// Nothing to remove: the insmod before it failed (that cost the
		// load part), and its message could not be printed.
		return
	}
	// A step whose leftover code faulted later ran to its end; what it
	// left behind costs the unload part (its finding).
	ran := s.Ran() && (s.Verdict != result.Crash && s.Verdict != result.Timeout || s.Cause == result.LeftRunning)
	g.output = g.output && ran && s.OutputOK
	g.truth = g.truth && ran && s.TruthOK
	g.unload = g.unload && !leftBehind(s) && (s.Clean || !ran)
	switch {
	case want.Action == "insmod" && want.Error == "":
		g.load = g.load && ran && s.Status == "ok"
	case want.Action == "rmmod":
		g.unload = g.unload && ran && s.Status == "ok" && s.Clean
		g.unloaded = g.unloaded || ran && s.Status == "ok"
	}
	if want.Action == "insmod" {
		g.notLoaded = s.Ran() && s.Status == "failed"
	}
}

// Problem is the first reason a task lost points, for the summary, and
// what a person should review about the module (a dual-use import), which
// costs nothing and is said even of a task that lost nothing.
func Problem(m result.Module) string {
	p := m.Problem()
	if i := strings.Index(p, "\n"); i >= 0 {
		p = p[:i]
	}
	var review []string
	for _, f := range m.Findings {
		if f.Kind == result.NeedsReview {
			review = append(review, f.Text)
		}
	}
	if len(review) == 0 {
		return p
	}
	note := "needs review: " + strings.Join(review, "; ")
	if p == "" {
		return note
	}
	return p + " (" + note + ")"
}

// leftBehind reports whether the step left the kernel worse off: a
// dropped log is the module's noise, not something left behind.
func leftBehind(s result.Step) bool {
	for _, f := range s.Findings {
		if f.Kind != result.LogDropped {
			return true
		}
	}
	return false
}
