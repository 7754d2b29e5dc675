package grader

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/grade"
	"github.com/lkmlab/lkmlab/lab/result"
)

// The flake guard: a task that lost points for a reason that may be
// chance (a truth rule off on values drawn at random, a step that did not
// return in time on a loaded host) runs again, alone, in a fresh VM with
// new random values, the assignment's reruns times, before the points are
// lost. The failure is forgiven only when every rerun earns full points:
// a flaky module that is right passes its reruns, while a module that
// guesses does not get more chances to guess right (best-of-N would
// multiply them). The result says how many runs lost points.

// chance lists why a run of task t may have lost points by chance: its
// steps that timed out or printed the right format with an untrue value.
// A crash, a wrong format, a failed load or anything left behind is the
// module's doing every time, and is not rerun.
func chance(t assign.Task, m result.Module) []string {
	if m.Verdict == result.BuildError || m.Verdict == result.Integrity {
		return nil
	}
	var why []string
	for i, s := range m.Steps {
		if i < len(t.Loaded.Steps) && t.Loaded.Steps[i].Probe {
			continue
		}
		switch {
		case s.Verdict == result.Timeout || s.Cause == result.GuestTimeout || s.Cause == result.HostTimeout:
			why = append(why, s.Name+": timed out")
		case s.Cause == result.Untrue && s.OutputOK:
			why = append(why, s.Name+": a value was untrue")
		}
	}
	return why
}

// guard reruns tasks: run is check.Run (tests give a stand-in), co the
// options of the first run, reruns the assignment's.
type guard struct {
	run    func(context.Context, []check.Target, check.Options) (*result.Report, error)
	co     check.Options
	reruns int
}

// apply reruns each task whose first run (rep) lost points by what may
// be chance, and returns the module to grade each task by (the last
// rerun's when every rerun earned full points, else the first run's) and
// what the runs were.
func (g guard) apply(ctx context.Context, targets []check.Target, tasks []assign.Task, rep *result.Report) ([]result.Module, map[string]grade.Runs, error) {
	mods := append([]result.Module(nil), rep.Modules...)
	runs := map[string]grade.Runs{}
	for i, t := range tasks {
		why, full := chance(t, mods[i]), runMax(t)
		if g.reruns <= 0 || len(why) == 0 || grade.Score(t, mods[i]).Total() == full {
			continue
		}
		ru := grade.Runs{Runs: 1, Failed: 1, Seeds: []uint64{rep.Seed}, Why: []string{failure(mods[i], why)}}
		var last result.Module
		for k := 1; k <= g.reruns; k++ {
			m, seed, err := g.rerun(ctx, targets[i], k)
			if err != nil {
				return nil, nil, err
			}
			ru.Runs++
			ru.Seeds = append(ru.Seeds, seed)
			if grade.Score(t, m).Total() < full {
				ru.Failed++
				ru.Why = append(ru.Why, failure(m, chance(t, m)))
				break // not forgiven: the first run's grade stands
			}
			last, ru.Kept = m, k
		}
		if ru.Failed == 1 {
			mods[i] = last
		} else {
			ru.Kept = 0
		}
		runs[t.Name] = ru
	}
	return mods, runs, nil
}

// runMax is what a run can earn of a task: the static parts are not a
// run's to earn.
func runMax(t assign.Task) int {
	p := t.Points
	p.Warnings, p.Style = 0, 0
	return p.Total()
}

// failure is why a run lost points: its first problem (what was printed
// against what was true), else what looked like chance.
func failure(m result.Module, chance []string) string {
	if p := grade.Problem(m); p != "" {
		return p
	}
	return strings.Join(chance, ", ")
}

// rerun checks one target again in a fresh VM with a new seed, in a work
// folder of its own, and keeps its console logs with the student's.
func (g guard) rerun(ctx context.Context, tg check.Target, k int) (result.Module, uint64, error) {
	co := g.co
	main := co.WorkDir
	co.Seed = 0
	co.WorkDir = filepath.Join(main, fmt.Sprintf("rerun-%s-%d", tg.Name, k))
	if co.Logf != nil {
		co.Logf("rerun %s (%d): what it lost may be chance", tg.Name, k)
	}
	rep, err := g.run(ctx, []check.Target{tg}, co)
	if err != nil {
		return result.Module{}, 0, fmt.Errorf("rerun %s: %w", tg.Name, err)
	}
	if len(rep.Modules) != 1 {
		return result.Module{}, 0, fmt.Errorf("rerun %s: %d results for one module", tg.Name, len(rep.Modules))
	}
	for _, pat := range []string{"console-*.log", "qemu-*.cmdline"} {
		files, _ := filepath.Glob(filepath.Join(co.WorkDir, pat))
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil {
				name := strings.Replace(filepath.Base(f), "-", fmt.Sprintf("-rerun-%s-%d-", tg.Name, k), 1)
				_ = os.WriteFile(filepath.Join(main, name), b, 0o644)
			}
		}
	}
	return rep.Modules[0], rep.Seed, nil
}
