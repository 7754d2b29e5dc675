package main

import (
	"slices"
	"testing"

	"github.com/lkmlab/lkmlab/lab/bench"
)

// TestBenchSetsMeetGoals: the sets lkmlab bench times by default, on the
// seed modules, are the ones issue 17's targets name, on the paths they
// name (a target measured against the cold boot needs that row too):
// renaming a set must not leave a target "not measured" for good.
func TestBenchSetsMeetGoals(t *testing.T) {
	sets, err := benchSets("../../../modules", nil)
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string][]bench.Path{}
	for _, s := range sets {
		paths[s.Name] = s.Paths
	}
	for _, g := range bench.Goals {
		need := []bench.Path{g.Path}
		if g.ColdShare > 0 {
			need = append(need, bench.Cold)
		}
		for _, p := range need {
			if !slices.Contains(paths[g.Set], p) {
				t.Errorf("target for %s on %s: the bench times no %s row of %q (sets: %v)", g.Set, g.Path, p, g.Set, paths)
			}
		}
	}
}
