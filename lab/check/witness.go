package check

import (
	"fmt"
	"strings"

	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/plan"
)

// The console is the host's own witness of the kernel log: the kernel
// writes every record there itself, on a serial line apart from the
// agent's, stamped with the same clock as /dev/kmsg. The agent writes a
// mark into the log as each step begins and ends, so the host finds the
// step's stretch of console without trusting any clock of the guest's. A
// step's End record claims the log lines the step produced; the host
// checks each claimed line against the console (same time stamp, same
// text), and each console line of the step's stretch against the claim. A
// record the guest forged or doctored disagrees with the console unless
// the forger also rewrote the console, which takes port I/O or the serial
// driver: what the static policy looks for.

// consoleLost are the kernel's notices that the console skipped records:
// then a line missing from the console proves nothing.
var consoleLost = []string{"messages dropped", "printk messages dropped", "** console lost"}

// window is where a step's lines lie on the console: from its begin mark
// through its end mark (to is len(console) when the end mark never came).
type window struct {
	from, to int
	ended    bool
}

// windows finds each step's stretch of console: from the last begin mark
// of the step through the first end mark after it. (A module that prints a
// look-alike mark is caught by imitates.)
func windows(console []kmsg.Line, steps int) map[int]window {
	begins := map[string]int{}
	for i, l := range console {
		if strings.HasPrefix(l.Text, "lkmlab: step ") {
			begins[l.Text] = i
		}
	}
	out := map[int]window{}
	for s := 0; s < steps; s++ {
		from, ok := begins[plan.BeginMark(s)]
		if !ok {
			continue
		}
		w := window{from: from, to: len(console)}
		for i := from; i < len(console); i++ {
			if console[i].Text == plan.EndMark(s) {
				w.to, w.ended = i+1, true
				break
			}
		}
		out[s] = w
	}
	return out
}

// imitates finds a line the module printed (facility kernel) that looks
// like one of the agent's marks (facility user).
func imitates(e *plan.Record) string {
	for _, r := range e.Log {
		if r.Facility == 0 && strings.HasPrefix(r.Text, "lkmlab: ") {
			return fmt.Sprintf("the module printed %q, which imitates the harness's own marks", clip(r.Text))
		}
	}
	return ""
}

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
	wins, out := windows(console, len(p.Steps)), map[int]string{}
	for i := range p.Steps {
		e := recs.end[i]
		if e == nil {
			continue
		}
		if msg := imitates(e); msg != "" {
			out[i] = msg
		} else if msg := claimedNotSeen(e, seen); msg != "" {
			out[i] = msg
		} else if w, ok := wins[i]; !ok || !w.ended {
			out[i] = "the console never showed the step's marks, which the agent writes around every step"
		} else if msg := seenNotClaimed(e, console[w.from:w.to]); msg != "" {
			out[i] = msg
		}
	}
	byStep := map[int][]string{}
	for i, m := range out {
		byStep[i] = []string{m}
	}
	return byStep
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

// seenNotClaimed checks every console line of the step's stretch is in
// the record: a record that hides a line (an oops) disagrees.
func seenNotClaimed(e *plan.Record, stretch []kmsg.Line) string {
	if e.Dropped > 0 {
		return "" // the record says it could not carry everything
	}
	claimed := map[string]int{}
	for _, r := range e.Log {
		for _, t := range strings.Split(r.Text, "\n") {
			claimed[key(r.TimeUS, t)]++
		}
	}
	for _, l := range stretch {
		if !l.HasTime {
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
