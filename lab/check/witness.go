package check

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/lkmlab/lkmlab/lab/vm"
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

// consoleLost is the notice the kernel writes to a console that skipped
// records, straight to the device without a time stamp: a time-stamped
// line with the same words went through printk, which a module can call.
const consoleLost = "printk messages dropped"

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
// the console. Where the console or the record could not carry every line
// (the kernel's own drop notice on the console, a record that counts
// dropped lines) a missing line proves nothing, so the record is made to
// agree with the console instead (reconcile): what the console never
// showed is not believed, and what it showed is. A forged record gains
// nothing from claiming a flood.
func witness(p *plan.Plan, recs *records, console []kmsg.Line) map[int][]string {
	seen := map[string]int{}
	timed, lost := 0, false
	for _, l := range console {
		if !l.HasTime {
			lost = lost || strings.Contains(l.Text, consoleLost) || l.Text == vm.ConsoleCut
			continue
		}
		timed++
		seen[key(l.TimeUS, l.Text)]++
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
		w, ok := wins[i]
		if msg := imitates(e); msg != "" {
			out[i] = msg
			continue
		}
		if msg := implausibleDrop(e, lost); msg != "" {
			out[i] = msg
			continue
		}
		if lost || e.Dropped > 0 {
			var stretch []kmsg.Line
			if ok && w.ended {
				stretch = console[w.from:w.to]
			}
			reconcile(e, seen, stretch)
			continue
		}
		if msg := claimedNotSeen(e, seen); msg != "" {
			out[i] = msg
		} else if !ok || !w.ended {
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

// floodLines is how many lines a step must have printed before an honest
// record can have dropped any: the agent keeps the first MaxLogRecords
// and drops only past them, or when the kernel's ring (far more than this
// many lines) overwrote what it had not read yet.
const floodLines = 500

// implausibleDrop is the disagreement of a record that claims dropped
// lines although the step printed too little for any to drop (with the
// console's own notice, the console's lines count too).
func implausibleDrop(e *plan.Record, lost bool) string {
	if e.Dropped == 0 || lost || len(e.Log)+e.Dropped >= floodLines {
		return ""
	}
	return fmt.Sprintf("the agent's record claims %d dropped lines of a step that printed %d; only a flood drops lines", e.Dropped, len(e.Log))
}

// reconcile makes a record that could not carry every line agree with the
// console: a claimed line the console never showed is dropped (and
// counted), and a line of the step's stretch the record lacks (an oops
// the record lost, or hid) is added as the kernel's.
func reconcile(e *plan.Record, seen map[string]int, stretch []kmsg.Line) {
	kept := e.Log[:0:0]
	claimed := map[string]int{}
	for _, r := range e.Log {
		ok := true
		for _, t := range strings.Split(r.Text, "\n") {
			ok = ok && seen[key(r.TimeUS, t)] > 0
		}
		if !ok {
			e.Dropped++
			continue
		}
		for _, t := range strings.Split(r.Text, "\n") {
			seen[key(r.TimeUS, t)]--
			claimed[key(r.TimeUS, t)]++
		}
		kept = append(kept, r)
	}
	var unclaimed []kmsg.Line
	for _, l := range stretch {
		k := key(l.TimeUS, l.Text)
		switch {
		case !l.HasTime || strings.HasPrefix(l.Text, "lkmlab: "):
		case claimed[k] > 0:
			claimed[k]--
		default:
			unclaimed = append(unclaimed, l)
		}
	}
	for _, l := range budget(unclaimed) {
		kept = append(kept, kmsg.Record{TimeUS: l.TimeUS, Level: 4, Text: l.Text})
	}
	slices.SortStableFunc(kept, func(a, b kmsg.Record) int { return cmp.Compare(a.TimeUS, b.TimeUS) })
	e.Log = kept
}

// key is a line as both sides can tell it: the record's text went
// through JSON (invalid UTF-8 became U+FFFD) and the console's through
// the line reader (every \r dropped), so both are compared that way.
func key(us uint64, text string) string {
	return fmt.Sprintf("%d\x00%s", us, strings.TrimRight(validUTF8(strings.ReplaceAll(text, "\r", "")), " \t"))
}

// validUTF8 replaces each invalid byte with U+FFFD, as encoding/json does
// (strings.ToValidUTF8 replaces a run of them with one).
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r) // RuneError for an invalid byte, n == 1
		i += n
	}
	return b.String()
}

// claimedNotSeen checks every line the record claims is on the console.
func claimedNotSeen(e *plan.Record, seen map[string]int) string {
	for _, r := range e.Log {
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

// maxAdded bounds the console lines reconcile adds to one record: a flood
// is tens of thousands of lines.
const maxAdded = 2000

// budget keeps the first half of maxAdded lines, then from the rest only
// the kernel's failure reports (a flood cannot push an oops out of the
// record by coming first).
func budget(lines []kmsg.Line) []kmsg.Line {
	if len(lines) <= maxAdded {
		return lines
	}
	out, rest := lines[:maxAdded/2:maxAdded/2], lines[maxAdded/2:]
	from := 0
	for _, f := range kmsg.Scan(rest) {
		if len(out) >= maxAdded {
			break
		}
		i := slices.IndexFunc(rest[from:], func(l kmsg.Line) bool { return strings.Contains(l.Text, f.Title) })
		if i < 0 {
			continue
		}
		i += from
		end := min(len(rest), i+len(f.Lines)+1)
		out = append(out, rest[max(0, i-1):end]...)
		from = end
	}
	return out
}
