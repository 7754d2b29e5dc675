// Package leak reads kmemleak reports: kmemleak report text -> objects -> per-step leaks.
//
// The guest writes "scan" to /sys/kernel/debug/kmemleak after a module's
// steps and reads the file back; Parse turns that text (or the same report
// as kmemleak printed it to the kernel log) into Objects, Attribute puts
// each object in the step whose time window holds its allocation, and
// Summary says in a few lines what leaked and where:
//
//	objs := leak.Parse(report)
//	clock, _ := leak.ParseTimerList(timerList) // read right after the report
//	byStep, other := leak.Attribute(objs, clock, windows)
//
// Linux 6.1 and later print an object's allocation time only in jiffies,
// so attribution needs a Clock: a jiffies count and the uptime it was read
// at, plus the tick rate, which /proc/timer_list gives.
//
// The package is pure Go with no OS-specific calls, so both the host and
// the guest agent can use it.
package leak
