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

// The record kinds: one Ready, then per command its answer: Begin and End
// for a step, ModuleEnd for the end of a module, Leaks (with kmemleak) and
// Done for the finish.
const (
	Ready     Kind = "ready"
	Begin     Kind = "begin"
	End       Kind = "end"
	ModuleEnd Kind = "module-end"
	Done      Kind = "done"
	// Fatal reports an agent error that ends the run early.
	Fatal Kind = "fatal"
	// Leaks carries a kmemleak report, sent before Done on kernels with
	// kmemleak: Report is the report, Clock the lines of /proc/timer_list
	// that date its objects.
	Leaks Kind = "leaks"
)

// Held is a process of a step whose address space outlived it: a
// reference the module took (get_task_mm, mmget) and never dropped.
type Held struct {
	Step int    `json:"step"`
	What string `json:"what"`
}

// Status is how a step ended, as the guest saw it.
type Status string

// Step outcomes seen from inside the guest.
const (
	OK      Status = "ok"      // the syscall succeeded
	Failed  Status = "failed"  // the syscall returned an error (Errno says which)
	Killed  Status = "killed"  // the process running the step died: the kernel killed it (oops)
	Hung    Status = "hung"    // the step did not finish within its timeout
	Skipped Status = "skipped" // not run: the host decided it could not run
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
	// Sections are the module's section addresses after a successful
	// insmod (/sys/module/NAME/sections), for charging a fault in its code
	// to it even after it is gone.
	Sections map[string]uint64 `json:"sections,omitempty"`
	// Cleanup says what the agent did after a Cleanup step that left the
	// module loaded: "unloaded", or why it could not.
	Cleanup string `json:"cleanup,omitempty"`
	// Held lists the module's processes whose address space outlived them
	// (ModuleEnd).
	Held []Held `json:"held,omitempty"`
}

// FramePrefix starts every record line.
const FramePrefix = "@@lkmlab "

const framePrefix = FramePrefix

// Frame encodes r as one line marked with nonce. The line starts with a
// newline of its own: whatever a module wrote to the channel before it
// without ending its line cannot be glued to the record.
func Frame(nonce string, r Record) ([]byte, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(framePrefix)+len(nonce)+len(b)+3)
	out = append(out, '\n')
	out = append(out, framePrefix...)
	out = append(out, nonce...)
	out = append(out, ' ')
	out = append(out, b...)
	return append(out, '\n'), nil
}

// Framed is one record found on a line of the channel.
type Framed struct {
	Nonce  string
	Record Record
	// Junk is what came before it on the line: nothing a genuine agent
	// writes.
	Junk string
}

// ParseLine finds the record on a line: the first "@@lkmlab NONCE {...}"
// whose nonce is lowercase hex and whose rest decodes as a record; text
// before it is junk. ok is false when the line holds no record (all junk);
// a line whose record does not decode is junk too.
func ParseLine(line string) (f Framed, ok bool) {
	line = strings.TrimRight(line, "\r\n")
	for from := 0; ; {
		i := strings.Index(line[from:], framePrefix)
		if i < 0 {
			return Framed{Junk: line}, false
		}
		at := from + i
		rest := line[at+len(framePrefix):]
		nonce, body, found := strings.Cut(rest, " ")
		if found && isHex(nonce) && strings.HasPrefix(body, "{") {
			var r Record
			if json.Unmarshal([]byte(body), &r) == nil {
				return Framed{Nonce: nonce, Record: r, Junk: line[:at]}, true
			}
		}
		from = at + 1
	}
}

func isHex(s string) bool {
	if len(s) < 8 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Unframe decodes one line. ok is false for lines that hold no record
// marked with nonce; err is set for marked lines that do not decode.
func Unframe(nonce, line string) (r Record, ok bool, err error) {
	if nonce == "" {
		return r, false, nil
	}
	f, found := ParseLine(line)
	if found && f.Nonce == nonce {
		return f.Record, true, nil
	}
	if strings.Contains(line, framePrefix+nonce+" ") {
		return r, true, fmt.Errorf("decode record: %q", line)
	}
	return r, false, nil
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
