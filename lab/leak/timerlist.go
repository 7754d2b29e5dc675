package leak

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// tickRates are the CONFIG_HZ choices of kernel/Kconfig.hz, which x86 and
// arm64 use.
var tickRates = []int{100, 250, 300, 1000}

// ParseTimerList makes a Clock from the text of /proc/timer_list (root
// only): its "now at N nsecs" line, CLOCK_MONOTONIC, which equals the
// uptime in a guest that never suspends, and its first "jiffies: N" line,
// printed under CONFIG_TICK_ONESHOT (NO_HZ and high-resolution timers
// select it). Read the file in one go: "now at" is taken when the first
// read starts, "jiffies:" a little later. HZ is inferred from the two; it
// is 0 within about 25 s of 300 s of uptime, where the tick rates cannot
// be told apart, and a caller that knows CONFIG_HZ may set it instead.
func ParseTimerList(text string) (Clock, error) {
	var c Clock
	var haveNow, haveJiffies bool
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if ns, ok := strings.CutPrefix(l, "now at "); ok && !haveNow {
			ns, _, _ = strings.Cut(ns, " ")
			v, err := strconv.ParseUint(ns, 10, 64)
			c.US, haveNow = v/1000, err == nil
		}
		if j, ok := strings.CutPrefix(l, "jiffies: "); ok && !haveJiffies {
			v, err := strconv.ParseUint(j, 10, 64)
			c.Jiffies, haveJiffies = v, err == nil
		}
	}
	switch {
	case !haveNow:
		return Clock{}, errors.New(`read timer_list: no "now at" line`)
	case !haveJiffies:
		return Clock{}, errors.New(`read timer_list: no "jiffies:" line (the kernel needs CONFIG_NO_HZ_IDLE or CONFIG_HIGH_RES_TIMERS)`)
	}
	c.HZ = inferHZ(c.US, c.Jiffies)
	return c, nil
}

// inferHZ finds the tick rate from a jiffies count and the uptime it was
// read at. Jiffies start at INITIAL_JIFFIES, 2^32 - 300*HZ, when the tick
// starts early in boot, so at the right rate the ticks since then match
// the uptime to within that start; a wrong rate is off by seconds, except
// near 300 s, where every rate's count passes 2^32. It returns 0 unless
// one rate fits and no other comes close.
func inferHZ(us, jiffies uint64) int {
	const fit, apart = 2e6, 4e6 // µs
	best, bestErr, nextErr := 0, uint64(math.MaxUint64), uint64(math.MaxUint64)
	for _, hz := range tickRates {
		initial := uint64(uint32(-300 * int32(hz)))
		elapsed := ticksToUS(jiffiesSince(jiffies, initial), int64(hz))
		d := elapsed - int64(min(us, maxAgeUS))
		e := uint64(max(d, -d))
		switch {
		case e < bestErr:
			best, bestErr, nextErr = hz, e, bestErr
		case e < nextErr:
			nextErr = e
		}
	}
	if bestErr > fit || nextErr < apart {
		return 0
	}
	return best
}
