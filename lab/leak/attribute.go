package leak

import (
	"math"
	"time"
)

// Slack widens each window at both ends. An allocation time worked out
// from jiffies can be off by up to a tick either way (10 ms at HZ=100),
// and the agent stamps a window just before and after its step.
const Slack = 20 * time.Millisecond

// Window is the guest uptime span a step ran in, in microseconds since
// boot (CLOCK_BOOTTIME, what /proc/uptime counts).
type Window struct {
	Step    int
	StartUS uint64
	EndUS   uint64
}

// Clock relates the jiffies in a report to guest uptime: a jiffies count
// and the uptime in microseconds it was read at, and the kernel's tick
// rate. ParseTimerList makes one from /proc/timer_list, read right after
// the report. For a report that prints ages, US alone is needed: the
// uptime the report was read at.
type Clock struct {
	US      uint64 // guest uptime when Jiffies was read, µs
	Jiffies uint64 // the jiffies count at US
	HZ      int    // CONFIG_HZ; 0 when unknown
}

// AllocUS returns the guest uptime, in µs, at which o was allocated: from
// its age when the report printed one, else from its jiffies. ok is false
// when the clock cannot tell (no age, and no HZ or jiffies in c).
func (c Clock) AllocUS(o Object) (us uint64, ok bool) {
	var ageUS int64
	switch {
	case o.HasAge:
		ageUS = o.Age.Microseconds()
	case c.HZ > 0 && c.HZ <= maxHZ && c.Jiffies != 0:
		ageUS = ticksToUS(jiffiesSince(c.Jiffies, o.Jiffies), int64(c.HZ))
	default:
		return 0, false
	}
	if ageUS >= 0 {
		return c.US - min(uint64(ageUS), c.US), true
	}
	return c.US + min(uint64(-ageUS), math.MaxUint64-c.US), true
}

// maxHZ is more than any kernel's tick rate; a larger HZ is garbage.
const maxHZ = 100000

// maxAgeUS bounds ages so that no arithmetic on them overflows; it is
// some 290 years.
const maxAgeUS = math.MaxInt64 / 1000

// ticksToUS converts ticks at hz to microseconds, within ±maxAgeUS.
func ticksToUS(ticks, hz int64) int64 {
	secs := ticks / hz
	switch {
	case secs > maxAgeUS/1_000_000:
		return maxAgeUS
	case secs < -maxAgeUS/1_000_000:
		return -maxAgeUS
	}
	return secs*1e6 + ticks%hz*1e6/hz
}

// jiffiesSince returns now - then in ticks, negative when then is later.
// Values that fit in 32 bits are compared modulo 2^32, as a 32-bit
// kernel's jiffies wrap five minutes after boot; a 64-bit kernel's pass
// 2^32 at the same moment, so both read alike up to then.
func jiffiesSince(now, then uint64) int64 {
	if now <= math.MaxUint32 && then <= math.MaxUint32 {
		return int64(int32(uint32(now) - uint32(then)))
	}
	d := now - then
	if now >= then {
		return int64(min(d, math.MaxInt64))
	}
	return -int64(min(-d, math.MaxInt64))
}

// Attribute sorts objects by the step that allocated them: the one whose
// window, widened by Slack at both ends, holds the object's allocation
// time. A window that holds it exactly wins over one that only holds it
// with the slack, then the earlier window in the list. Objects in no
// window, such as leaks from boot, and objects whose allocation time c
// cannot tell, are unattributed. byStep is never nil.
func Attribute(objs []Object, c Clock, windows []Window) (byStep map[int][]Object, unattributed []Object) {
	byStep = map[int][]Object{}
	for _, o := range objs {
		us, ok := c.AllocUS(o)
		w, in := -1, false
		if ok {
			w, in = nearestWindow(us, windows)
		}
		if !in {
			unattributed = append(unattributed, o)
			continue
		}
		step := windows[w].Step
		byStep[step] = append(byStep[step], o)
	}
	return byStep, unattributed
}

// nearestWindow returns the index of the window nearest to us, and
// whether it is within Slack of it.
func nearestWindow(us uint64, windows []Window) (int, bool) {
	best, bestDist := -1, uint64(math.MaxUint64)
	for i, w := range windows {
		var d uint64
		switch {
		case us < w.StartUS:
			d = w.StartUS - us
		case us > w.EndUS:
			d = us - w.EndUS
		}
		if d < bestDist {
			best, bestDist = i, d
		}
	}
	return best, best >= 0 && bestDist <= uint64(Slack.Microseconds())
}
