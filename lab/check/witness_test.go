package check

import (
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/plan"
)

// hand-written console, in the kernel's format; the clock of the guest
// and the kernel log's differ, so steps are found by the agent's marks.
const marked = `[    0.500000] BUG: kernel NULL pointer dereference, address: 0000000000000000
[    0.600000] lkmlab: step 0 begins
[    0.700000] Hello
[    0.800000] lkmlab: end of step 0
[    0.900000] lkmlab: step 1 begins
[    1.000000] Bye
`

func TestStepConsoleStartsAtTheStepsMark(t *testing.T) {
	console := kmsg.ParseLines(marked)
	wins := windows(console, 2)
	if !wins[0].ended || wins[1].ended {
		t.Fatalf("windows %+v", wins)
	}
	got := stepConsole(console, wins, 1, &plan.Record{UptimeUS: 0})
	if len(got) != 2 || got[1].Text != "Bye" {
		t.Fatalf("step 1's console %+v: the oops before step 0 must stay out", got)
	}
	// What the kernel printed between two steps belongs to the next.
	between := kmsg.ParseLines(strings.Replace(marked, "[    0.900000] lkmlab: step 1 begins", "[    0.850000] BUG: unable to handle page fault for address: ffffffffc0a003c8\n[    0.900000] lkmlab: step 1 begins", 1))
	if got := stepConsole(between, windows(between, 2), 1, nil); len(got) != 3 || !strings.HasPrefix(got[0].Text, "BUG:") {
		t.Fatalf("step 1's console %+v: the report that began before its mark belongs to it", got)
	}
}

func TestWitnessCatchesALookAlikeMark(t *testing.T) {
	e := &plan.Record{Log: []kmsg.Record{{Facility: 1, Text: plan.BeginMark(0)}, {Text: plan.EndMark(0)}}}
	if imitates(e) == "" {
		t.Fatal("a module's printk of the end mark went unnoticed")
	}
	e.Log[1].Facility = 1
	if msg := imitates(e); msg != "" {
		t.Fatalf("the agent's own marks: %s", msg)
	}
}
