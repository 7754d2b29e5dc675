package plan

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/lkmlab/lkmlab/lab/kmsg"
)

// Kind says what a Record reports.
type Kind string

// The record kinds, in the order a healthy run sends them:
// one Ready, then Begin and End per step, then Done.
const (
	Ready Kind = "ready"
	Begin Kind = "begin"
	End   Kind = "end"
	Done  Kind = "done"
	// Fatal reports an agent error that ends the run early.
	Fatal Kind = "fatal"
	// Leaks carries a kmemleak report, sent before Done on kernels with
	// kmemleak: Report is the report, Clock the lines of /proc/timer_list
	// that date its objects.
	Leaks Kind = "leaks"
	// Held reports a process of the step whose address space outlived
	// it (a reference never dropped); Error says which.
	Held Kind = "held"
)

// Status is how a step ended, as the guest saw it.
type Status string

// Step outcomes seen from inside the guest.
const (
	OK      Status = "ok"      // the syscall succeeded
	Failed  Status = "failed"  // the syscall returned an error (Errno says which)
	Killed  Status = "killed"  // the process running the step died: the kernel killed it (oops)
	Hung    Status = "hung"    // the step did not finish within its timeout
	Skipped Status = "skipped" // an earlier step of the module crashed or hung
)

// Record is one message from the guest agent.
type Record struct {
	Kind Kind `json:"kind"`
	// Step indexes Plan.Steps (Begin, End).
	Step int `json:"step"`
	// UptimeUS is the guest's CLOCK_BOOTTIME when the record was made, in
	// the same clock as kernel log timestamps.
	UptimeUS uint64 `json:"uptime_us,omitempty"`

	// Release is the guest's uname -r (Ready).
	Release string `json:"release,omitempty"`

	// Report and Clock: see Leaks.
	Report string `json:"report,omitempty"`
	Clock  string `json:"clock,omitempty"`

	Status Status `json:"status,omitempty"`
	// Errno names the error of a Failed step ("ENOMEM"), Error explains.
	Errno string `json:"errno,omitempty"`
	Error string `json:"error,omitempty"`
	// MS is the step's wall time inside the guest.
	MS          int64  `json:"ms,omitempty"`
	TaintBefore uint64 `json:"taint_before,omitempty"`
	TaintAfter  uint64 `json:"taint_after,omitempty"`
	// Log holds the kernel log records the step produced, by sequence
	// number: nothing from before the step, nothing lost between steps.
	Log []kmsg.Record `json:"log,omitempty"`
	// Dropped counts log records not carried: overwritten in the kernel's
	// ring buffer or past the per-step cap.
	Dropped int `json:"dropped,omitempty"`
	// Facts are what the step's workloads are known to be, as
	// "workload.fact": "value". A fact read before and after the step
	// that changed in between is "before|after".
	Facts map[string]string `json:"facts,omitempty"`
	// Loaded lists the modules in /proc/modules after the step.
	Loaded []string `json:"loaded,omitempty"`
	// Early marks a Done sent before the last step (Plan.Isolate).
	Early bool `json:"early,omitempty"`
}

const framePrefix = "@@lkmlab "

// Frame encodes r as one line marked with nonce.
func Frame(nonce string, r Record) ([]byte, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(framePrefix)+len(nonce)+len(b)+2)
	out = append(out, framePrefix...)
	out = append(out, nonce...)
	out = append(out, ' ')
	out = append(out, b...)
	return append(out, '\n'), nil
}

// Unframe decodes one line. ok is false for lines that are not records
// marked with nonce; err is set for marked lines that do not decode.
func Unframe(nonce, line string) (r Record, ok bool, err error) {
	line = strings.TrimRight(line, "\r\n")
	i := strings.Index(line, framePrefix)
	if i < 0 {
		return r, false, nil
	}
	rest := line[i+len(framePrefix):]
	if !strings.HasPrefix(rest, nonce+" ") || nonce == "" {
		return r, false, nil
	}
	if err := json.Unmarshal([]byte(rest[len(nonce)+1:]), &r); err != nil {
		return r, true, fmt.Errorf("decode record: %w", err)
	}
	return r, true, nil
}

// ReadRecords reads framed records from r until EOF and hands each to fn.
// Unmarked lines are skipped; a corrupt marked line is reported to bad.
func ReadRecords(r io.Reader, nonce string, fn func(Record), bad func(line string, err error)) error {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 64<<10), 64<<20)
	for s.Scan() {
		rec, ok, err := Unframe(nonce, s.Text())
		switch {
		case err != nil:
			if bad != nil {
				bad(s.Text(), err)
			}
		case ok:
			fn(rec)
		}
	}
	return s.Err()
}

// DoneMarker is the start of the framed Done record for nonce: once a line
// with it is complete, the agent has said everything.
func DoneMarker(nonce string) []byte {
	return []byte(framePrefix + nonce + ` {"kind":"` + string(Done) + `"`)
}
