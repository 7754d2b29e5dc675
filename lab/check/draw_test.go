package check

import (
	"maps"
	"strconv"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/plan"
)

func TestDrawnMapArgsAreAlignedAndDistinct(t *testing.T) {
	for seed := uint64(1); seed < 500; seed++ {
		rng, _ := newRand(seed)
		a := drawArgs(plan.Map, rng)
		n := func(k string) uint64 {
			v, err := strconv.ParseUint(a[k], 16, 64)
			if err != nil {
				t.Fatalf("%s=%q: %v", k, a[k], err)
			}
			return v
		}
		if n("page")%page != 0 || n("huge")%huge != 0 || n("sparse")%page != 0 || n("offset") >= page || n("huge_offset") >= huge {
			t.Fatalf("seed %d: misaligned %v", seed, a)
		}
		sparseEnd := n("sparse") + sparsePages*page
		// The unpopulated page must have a touched page on each side.
		if n("unpopulated") < n("sparse")+page || n("unpopulated") >= sparseEnd-page {
			t.Fatalf("seed %d: unpopulated %s is not inside sparse region %s with a page on each side", seed, a["unpopulated"], a["sparse"])
		}
		if n("page") < drawLow || n("page")+page > n("huge") || n("huge")+huge > n("sparse") || sparseEnd > n("hole") || n("hole") >= drawHigh {
			t.Fatalf("seed %d: regions overlap or leave the range: %v", seed, a)
		}
	}
}

func TestDrawnTreeHasEveryStateAndDistinctNames(t *testing.T) {
	for seed := uint64(1); seed < 500; seed++ {
		rng, _ := newRand(seed)
		a := drawArgs(plan.Tree, rng)
		names := map[string]bool{a["comm"]: true}
		count := map[string]int{}
		for _, k := range strings.Split(a["children"], ",") {
			st, comm, ok := strings.Cut(k, ":")
			if !ok || len(comm) == 0 || len(comm) > 15 {
				t.Fatalf("seed %d: child %q is not STATE:comm with a name the kernel keeps whole", seed, k)
			}
			if names[comm] {
				t.Fatalf("seed %d: name %s drawn twice in %v", seed, comm, a)
			}
			names[comm] = true
			count[st]++
		}
		for _, c := range []struct {
			state    string
			min, max int
		}{{"R", 1, 1}, {"S", 1, 3}, {"T", 1, 2}, {"Z", 1, 2}} {
			if count[c.state] < c.min || count[c.state] > c.max {
				t.Fatalf("seed %d: %d children in state %s, want %d to %d: %v", seed, count[c.state], c.state, c.min, c.max, a)
			}
		}
		if len(count) != 4 {
			t.Fatalf("seed %d: states %v, want only R S T Z", seed, count)
		}
	}
}

func TestDrawDependsOnSeed(t *testing.T) {
	for _, kind := range []string{plan.Heap, plan.Map, plan.Tree, plan.Spin, plan.Size} {
		t.Run(kind, func(t *testing.T) {
			r1, _ := newRand(7)
			r2, _ := newRand(7)
			r3, _ := newRand(8)
			a, b, c := drawArgs(kind, r1), drawArgs(kind, r2), drawArgs(kind, r3)
			if !maps.Equal(a, b) || maps.Equal(a, c) {
				t.Fatalf("same seed gave %v and %v; other seed %v", a, b, c)
			}
		})
	}
	if _, s := newRand(0); s == 0 {
		t.Fatal("seed 0 must draw a seed")
	}
}
