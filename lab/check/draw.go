package check

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/lkmlab/lkmlab/lab/plan"
)

// The user address range workload mappings are drawn from: above where a
// static Go binary, its heap arenas and the brk area live, below the mmap
// base near the top of the 47-bit space.
const (
	drawLow  = 0x2000_0000_0000
	drawHigh = 0x6000_0000_0000
	page     = 4096
	huge     = 2 << 20
)

// sparsePages is the size of the map workload's sparse region, in pages
// (as in guest/agent/map_linux.go).
const sparsePages = 16

// drawArgs draws a workload's values on the host, so a module that prints
// numbers it did not read cannot match them.
func drawArgs(kind string, rng *rand.Rand) map[string]string {
	dec := func(n uint64) string { return strconv.FormatUint(n, 10) }
	switch kind {
	case plan.Spin:
		return map[string]string{"comm": fmt.Sprintf("spin-%06x", rng.Uint32()&0xffffff)}
	case plan.Heap:
		return map[string]string{"bytes": dec(16<<20 + rng.Uint64N(48<<20))}
	case plan.Map:
		return drawMap(rng)
	case plan.Size:
		// At least 16 MiB touched and 16 MiB not: in MB, or in pages, the
		// numbers have two significant digits or more, and resident and
		// virtual size stay well apart.
		bytes := (48<<20 + rng.Uint64N(80<<20)) / page * page
		touch := (16<<20 + rng.Uint64N(bytes-32<<20)) / page * page
		return map[string]string{"bytes": dec(bytes), "touch": dec(touch)}
	case plan.Tree:
		return drawTree(rng)
	}
	return nil
}

// drawMap places the map workload's regions in four disjoint quarters of
// the draw range: the locked page, the huge page, the sparse region with
// its unpopulated address (never in the region's first or last page, so
// that both its neighbours are touched), and the hole.
func drawMap(rng *rand.Rand) map[string]string {
	hex := func(n uint64) string { return strconv.FormatUint(n, 16) }
	quarter := uint64(drawHigh-drawLow) / 4
	sparse := (drawLow + 2*quarter + rng.Uint64N(quarter-sparsePages*page)) / page * page
	return map[string]string{
		"page":        hex((drawLow + rng.Uint64N(quarter)) / page * page),
		"offset":      hex(rng.Uint64N(page)),
		"huge":        hex((drawLow + quarter + rng.Uint64N(quarter-huge)) / huge * huge),
		"huge_offset": hex(rng.Uint64N(huge)),
		"sparse":      hex(sparse),
		"unpopulated": hex(sparse + (1+rng.Uint64N(sparsePages-2))*page + rng.Uint64N(page)),
		"hole":        hex(drawLow + 3*quarter + rng.Uint64N(quarter)),
	}
}

// drawTree draws a tree's names and its children's states: one running
// (a spinning child costs a CPU of the guest's two), one to three
// sleeping, one or two stopped, one or two zombies, started in a random
// order so that a pid's place says nothing of its state.
func drawTree(rng *rand.Rand) map[string]string {
	states := []string{"R"}
	for _, c := range []struct {
		state string
		max   uint64
	}{{"S", 3}, {"T", 2}, {"Z", 2}} {
		for range 1 + rng.Uint64N(c.max) {
			states = append(states, c.state)
		}
	}
	rng.Shuffle(len(states), func(i, j int) { states[i], states[j] = states[j], states[i] })
	seen := map[string]bool{}
	name := func(prefix string) string {
		for {
			if n := fmt.Sprintf("%s-%06x", prefix, rng.Uint32()&0xffffff); !seen[n] {
				seen[n] = true
				return n
			}
		}
	}
	comm := name("tree")
	kids := make([]string, len(states))
	for i, st := range states {
		kids[i] = st + ":" + name("leaf")
	}
	return map[string]string{"comm": comm, "children": strings.Join(kids, ",")}
}

// newRand returns the run's random source: from seed, or from a fresh
// seed when seed is 0. The seed used goes into the report, so a run can
// be repeated with --seed.
func newRand(seed uint64) (*rand.Rand, uint64) {
	if seed == 0 {
		seed = rand.Uint64()
	}
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), seed
}
