package grader

import (
	"context"
	"slices"
	"testing"

	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/kbuild"
	"github.com/lkmlab/lkmlab/lab/kernel/kinfo"
	"github.com/lkmlab/lkmlab/lab/result"
)

// TestFallbackGradesOnTheKernelItBuildsOn: only the tasks that did not
// build run again, on each fallback kernel in turn, with a sandbox that
// sees that kernel's tree; a task that builds there is graded by that
// run, one that builds nowhere keeps its first build error.
func TestFallbackGradesOnTheKernelItBuildsOn(t *testing.T) {
	main := &kinfo.Kernel{Name: "debian-6.1", BuildDir: "/cache/k61/root/usr/src/linux-headers-6.1"}
	k510 := &kinfo.Kernel{Name: "debian-5.10", BuildDir: "/cache/k510/root/usr/src/linux-headers-5.10"}
	k612 := &kinfo.Kernel{Name: "debian-6.12", BuildDir: "/cache/k612/root/usr/src/linux-headers-6.12"}
	// old builds on 5.10, newer on 6.12 only, broken nowhere.
	buildsOn := map[string]string{"old": "debian-5.10", "newer": "debian-6.12"}
	var ran [][]string
	run := func(_ context.Context, ts []check.Target, co check.Options) (*result.Report, error) {
		var names []string
		rep := &result.Report{}
		for _, tg := range ts {
			names = append(names, tg.Name)
			if co.Sandbox == nil || !slices.Contains(co.Sandbox.ReadOnly, "/cache/"+map[string]string{"debian-5.10": "k510", "debian-6.12": "k612"}[co.Kernel.Name]) || co.Sandbox.Group != "student" {
				t.Errorf("%s on %s: sandbox %+v does not see that kernel's tree for the student", tg.Name, co.Kernel.Name, co.Sandbox)
			}
			v := result.BuildError
			if buildsOn[tg.Name] == co.Kernel.Name {
				v = result.Pass
			}
			rep.Modules = append(rep.Modules, result.Module{Name: tg.Name, Verdict: v})
		}
		ran = append(ran, names)
		return rep, nil
	}
	targets := []check.Target{{Name: "fine"}, {Name: "old"}, {Name: "newer"}, {Name: "broken"}}
	mods := []result.Module{{Name: "fine", Verdict: result.Pass}, {Name: "old", Verdict: result.BuildError},
		{Name: "newer", Verdict: result.BuildError}, {Name: "broken", Verdict: result.BuildError, Error: "first error"}}
	co := check.Options{Kernel: main, Sandbox: &kbuild.Sandbox{Group: "student"}}
	on, err := fallback{run: run, co: co, kernels: []*kinfo.Kernel{main, k510, k612}, original: main.Name}.apply(context.Background(), targets, mods)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(on))
	for i, k := range on {
		if k != nil {
			names[i] = k.Name
		}
	}
	if want := []string{"", "debian-5.10", "debian-6.12", ""}; !slices.Equal(names, want) {
		t.Errorf("graded on %q, want %q", names, want)
	}
	if want := [][]string{{"old", "newer", "broken"}, {"newer", "broken"}}; len(ran) != 2 || !slices.Equal(ran[0], want[0]) || !slices.Equal(ran[1], want[1]) {
		t.Errorf("runs %v, want %v (the assignment's own kernel skipped, only what did not build)", ran, want)
	}
	if mods[1].Verdict != result.Pass || mods[2].Verdict != result.Pass || mods[3].Error != "first error" || mods[0].Verdict != result.Pass {
		t.Errorf("modules after the fallbacks: %+v", mods)
	}
}
