package check

import (
	"fmt"
	"strings"

	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/plan"
)

// The console is the host's own witness of the kernel log: the kernel
// writes every record there itself, on a serial line apart from the
// agent's, stamped with the same clock as /dev/kmsg. A step's End record
// claims the log lines the step produced; the host checks each claimed line
// against the console (same time stamp, same text), and each console line
// inside the step's window against the claim. A record the guest forged or
// doctored disagrees with the console unless the forger also rewrote the
// console, which takes port I/O or the serial driver: what the static
// policy looks for.

// consoleLost are the kernel's notices that the console skipped records:
// then a line missing from the console proves nothing.
var consoleLost = []string{"messages dropped", "printk messages dropped", "** console lost"}

// witness returns, by step, the disagreements between its End record and
// the console.
func witness(p *plan.Plan, recs *records, console []kmsg.Line) map[int][]string {
	seen := map[string]int{}
	timed := 0
	for _, l := range console {
		if !l.HasTime {
			continue
		}
		timed++
		seen[key(l.TimeUS, l.Text)]++
		for _, c := range consoleLost {
			if strings.Contains(l.Text, c) {
				return nil
			}
		}
	}
	if timed == 0 {
		return nil // a console without time stamps: nothing to compare
	}
	out := map[int][]string{}
	for i := range p.Steps {
		e, b := recs.end[i], recs.begin[i]
		if e == nil || b == nil {
			continue
		}
		if msg := claimedNotSeen(e, seen); msg != "" {
			out[i] = append(out[i], msg)
		}
		if msg := seenNotClaimed(e, b.UptimeUS, console); msg != "" {
			out[i] = append(out[i], msg)
		}
	}
	return out
}

func key(us uint64, text string) string {
	return fmt.Sprintf("%d\x00%s", us, strings.TrimRight(text, " \t\r"))
}

// claimedNotSeen checks every line the record claims is on the console.
// While a step floods the log the agent turns the console down to
// warnings, so only those must be there.
func claimedNotSeen(e *plan.Record, seen map[string]int) string {
	for _, r := range e.Log {
		if e.Dropped > 0 && r.Level >= 5 {
			continue
		}
		for _, t := range strings.Split(r.Text, "\n") {
			k := key(r.TimeUS, t)
			if seen[k] == 0 {
				return fmt.Sprintf("the agent's record claims the kernel printed %q at %s, which the console never showed", clip(t), kmsg.FormatTime(r.TimeUS))
			}
			seen[k]--
		}
	}
	return ""
}

// seenNotClaimed checks every console line stamped inside the step's
// window [begin, end] is in the record: a record that hides a line (an
// oops) disagrees.
func seenNotClaimed(e *plan.Record, begin uint64, console []kmsg.Line) string {
	if e.Dropped > 0 {
		return "" // the record says it could not carry everything
	}
	claimed := map[string]int{}
	for _, r := range e.Log {
		for _, t := range strings.Split(r.Text, "\n") {
			claimed[key(r.TimeUS, t)]++
		}
	}
	for _, l := range console {
		if !l.HasTime || l.TimeUS < begin || l.TimeUS > e.UptimeUS {
			continue
		}
		k := key(l.TimeUS, l.Text)
		if claimed[k] == 0 {
			return fmt.Sprintf("the console shows %q at %s during the step, which the agent's record leaves out", clip(l.Text), kmsg.FormatTime(l.TimeUS))
		}
		claimed[k]--
	}
	return ""
}
