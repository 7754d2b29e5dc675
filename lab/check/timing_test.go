package check

import (
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/lkmlab/lkmlab/lab/result"
	"github.com/lkmlab/lkmlab/lab/vm"
)

// recordsAt builds a VM's records from uptimes in µs: ready, done (0: no
// done record), and per step its begin and end (0: no such record). Every
// figure in these tests is made up for them.
func recordsAt(ready, done uint64, steps ...[2]uint64) *records {
	recs := newRecords()
	recs.ready = &plan.Record{Kind: plan.Ready, UptimeUS: ready}
	if done > 0 {
		recs.done = &plan.Record{Kind: plan.Done, UptimeUS: done}
	}
	for i, s := range steps {
		if s[0] > 0 {
			recs.begin[i] = &plan.Record{Kind: plan.Begin, Step: i, UptimeUS: s[0]}
		}
		if s[1] > 0 {
			recs.end[i] = &plan.Record{Kind: plan.End, Step: i, UptimeUS: s[1]}
		}
	}
	return recs
}

// TestAddTiming: the breakdown of one VM's time, and of two VMs summed,
// from hand-built records and VM results.
func TestAddTiming(t *testing.T) {
	ms := time.Millisecond
	// A restored guest: two steps that ended (40 ms and 100 ms of work)
	// and one with an end record but no begin, which is no step work.
	restored := &vm.Result{FirstByte: 300 * ms, Loaded: 120 * ms, Duration: 800 * ms, Restored: true}
	restoredRecs := recordsAt(1_000_000, 1_400_000,
		[2]uint64{1_010_000, 1_050_000}, [2]uint64{1_060_000, 1_160_000}, [2]uint64{0, 1_170_000})
	// A cold boot: one step of 50 ms, done 40 ms after its end.
	cold := &vm.Result{FirstByte: 1500 * ms, Duration: 2200 * ms}
	coldRecs := recordsAt(900_000, 1_000_000, [2]uint64{910_000, 960_000})

	var one result.Timing
	addTiming(&one, restored, restoredRecs)
	want := result.Timing{Boot: 300 * ms, Restore: 120 * ms, Steps: 400 * ms, StepWork: 140 * ms,
		Finish: 230 * ms, Shutdown: 100 * ms}
	if one != want {
		t.Errorf("restored VM: got %+v, want %+v", one, want)
	}
	if got := one.Between(); got != 30*ms {
		t.Errorf("restored VM: between steps %v, want 30ms (400 - 140 - 230)", got)
	}

	two := one
	addTiming(&two, cold, coldRecs)
	want = result.Timing{Boot: 1800 * ms, Restore: 120 * ms, Steps: 500 * ms, StepWork: 190 * ms,
		Finish: 270 * ms, Shutdown: 700 * ms}
	if two != want {
		t.Errorf("restored and cold VM: got %+v, want %+v", two, want)
	}
	if got := two.Between(); got != 40*ms {
		t.Errorf("restored and cold VM: between steps %v, want 40ms", got)
	}
}

// TestAddTimingPartial: a VM that ended before its done record adds its
// boot and nothing of Steps or its parts (StepWork alone would exceed
// Steps); a step that began but never ended, or whose end is stamped
// before its begin, is no step work; an end record stamped after done is
// not the last step's end.
func TestAddTimingPartial(t *testing.T) {
	ms := time.Millisecond
	res := &vm.Result{FirstByte: 200 * ms, Loaded: 90 * ms, Duration: 5 * time.Second, Restored: true}

	var noDone result.Timing
	addTiming(&noDone, res, recordsAt(1_000_000, 0, [2]uint64{1_010_000, 1_050_000}, [2]uint64{1_060_000, 0}))
	if want := (result.Timing{Boot: 200 * ms, Restore: 90 * ms}); noDone != want {
		t.Errorf("no done record: got %+v, want %+v", noDone, want)
	}

	var late result.Timing
	addTiming(&late, res, recordsAt(1_000_000, 1_200_000,
		[2]uint64{1_010_000, 1_050_000}, [2]uint64{1_060_000, 0}, [2]uint64{1_070_000, 1_300_000},
		[2]uint64{1_045_000, 1_040_000}))
	if late.StepWork != 40*ms {
		t.Errorf("step work %v, want 40ms: only step 0 began and then ended before done", late.StepWork)
	}
	if late.Finish != 150*ms {
		t.Errorf("finish %v, want 150ms: from step 0's end, the latest before done", late.Finish)
	}
}
