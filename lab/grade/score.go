package grade

import (
	"strings"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/result"
)

// score gives partial credit for one task from its judged steps: each part
// is earned only when every step it concerns achieved it, and a step that
// never ran (after a crash or hang) achieved nothing.
func score(t assign.Task, m result.Module) assign.Points {
	var p assign.Points
	if m.Verdict == result.BuildError {
		return p
	}
	p.Build = t.Points.Build
	if len(m.Steps) == 0 || len(m.Steps) != len(t.Loaded.Steps) {
		return p // kept out of the VM (a missing parameter)
	}
	load, output, truth, unload := true, true, true, true
	for i, s := range m.Steps {
		want := t.Loaded.Steps[i]
		output = output && s.OutputOK
		truth = truth && s.TruthOK
		switch {
		case want.Action == "insmod" && want.Error == "":
			load = load && s.Status == "ok"
		case want.Action == "rmmod":
			unload = unload && s.Status == "ok" && s.Clean
		}
	}
	if load {
		p.Load = t.Points.Load
	}
	if output {
		p.Output = t.Points.Output
	}
	if output && truth {
		p.Truth = t.Points.Truth
	}
	if load && unload {
		p.Unload = t.Points.Unload
	}
	return p
}

// problem is the first reason a task lost points, for the summary.
func problem(m result.Module) string {
	p := m.Problem()
	if i := strings.Index(p, "\n"); i >= 0 {
		p = p[:i]
	}
	return p
}
