package check

import (
	"fmt"
	"math/rand/v2"
	"strconv"

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

// drawArgs draws a workload's values on the host, so a module that prints
// numbers it did not read cannot match them.
func drawArgs(kind string, rng *rand.Rand) map[string]string {
	hex := func(n uint64) string { return strconv.FormatUint(n, 16) }
	dec := func(n uint64) string { return strconv.FormatUint(n, 10) }
	switch kind {
	case plan.Spin:
		return map[string]string{"comm": fmt.Sprintf("spin-%06x", rng.Uint32()&0xffffff)}
	case plan.Heap:
		return map[string]string{"bytes": dec(16<<20 + rng.Uint64N(48<<20))}
	case plan.Map:
		region := uint64(drawHigh-drawLow) / 3
		return map[string]string{
			"page":        hex((drawLow + rng.Uint64N(region)) / page * page),
			"offset":      hex(rng.Uint64N(page)),
			"huge":        hex((drawLow + region + rng.Uint64N(region)) / huge * huge),
			"huge_offset": hex(rng.Uint64N(huge)),
			"hole":        hex(drawLow + 2*region + rng.Uint64N(region)),
		}
	case plan.Size:
		bytes := (8<<20 + rng.Uint64N(56<<20)) / page * page
		return map[string]string{"bytes": dec(bytes), "touch": dec(rng.Uint64N(bytes) / page * page)}
	}
	return nil
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
