package check

import (
	"strconv"
	"testing"

	"github.com/lkmlab/lkmlab/lab/plan"
)

func TestDrawnMapArgsAreAlignedAndDistinct(t *testing.T) {
	for seed := uint64(1); seed < 200; seed++ {
		rng, _ := newRand(seed)
		a := drawArgs(plan.Map, rng)
		n := func(k string) uint64 {
			v, err := strconv.ParseUint(a[k], 16, 64)
			if err != nil {
				t.Fatalf("%s=%q: %v", k, a[k], err)
			}
			return v
		}
		if n("page")%page != 0 || n("huge")%huge != 0 || n("offset") >= page || n("huge_offset") >= huge {
			t.Fatalf("seed %d: misaligned %v", seed, a)
		}
		if n("page") >= n("huge") || n("huge")+huge > n("hole") || n("hole") >= drawHigh {
			t.Fatalf("seed %d: regions overlap or leave the range: %v", seed, a)
		}
	}
}

func TestDrawDependsOnSeed(t *testing.T) {
	r1, _ := newRand(7)
	r2, _ := newRand(7)
	r3, _ := newRand(8)
	a, b, c := drawArgs(plan.Heap, r1)["bytes"], drawArgs(plan.Heap, r2)["bytes"], drawArgs(plan.Heap, r3)["bytes"]
	if a != b || a == c {
		t.Fatalf("same seed gave %s and %s; other seed %s", a, b, c)
	}
	if _, s := newRand(0); s == 0 {
		t.Fatal("seed 0 must draw a seed")
	}
}
