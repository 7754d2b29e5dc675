package plan

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// Op is what a Command asks of the agent.
type Op string

// The commands the host sends, one JSON line each.
const (
	// OpStep runs Plan.Steps[Step]: a Begin record, then an End record.
	OpStep Op = "step"
	// OpEndModule stops the module's workloads and checks that every
	// process of the module freed its address space: a ModuleEnd record.
	OpEndModule Op = "end-module"
	// OpFinish scans for leaks (kernels with kmemleak) and ends the run:
	// a Leaks record where there is kmemleak, then Done.
	OpFinish Op = "finish"
)

// Command is one thing the host asks the agent to do.
type Command struct {
	Op     Op     `json:"op"`
	Step   int    `json:"step,omitempty"`
	Module string `json:"module,omitempty"`
	// Nonce marks every record that answers this command.
	Nonce string `json:"nonce"`
	// Args are the drawn arguments of the step's workloads, by workload
	// name (OpStep).
	Args map[string]map[string]string `json:"args,omitempty"`
	// PidFloor, when set, is where the kernel's next pid numbers start for
	// the step's workloads (drawn by the host): a restored guest would
	// otherwise give them the same pids every run.
	PidFloor int `json:"pid_floor,omitempty"`
	// Linger is how long the agent waits before it answers OpFinish: what
	// a module left armed at rmmod (a timer, work, a thread) fires into
	// freed code in that time, on the console, where the host charges it
	// to the module (at most MaxLinger).
	Linger Duration `json:"linger,omitempty"`
}

// MaxLinger bounds Command.Linger.
const MaxLinger = 5 * time.Second

// Encode writes c as one line.
func (c Command) Encode() ([]byte, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// maxCommand bounds a command line: they are small.
const maxCommand = 1 << 20

// ReadCommand reads one command line.
func ReadCommand(r *bufio.Reader) (Command, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxCommand {
			return Command{}, fmt.Errorf("command longer than %d bytes", maxCommand)
		}
		if err == nil {
			break
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			if errors.Is(err, io.EOF) && len(line) == 0 {
				return Command{}, io.EOF
			}
			return Command{}, fmt.Errorf("read command: %w", err)
		}
	}
	var c Command
	if err := json.Unmarshal(line, &c); err != nil {
		return Command{}, fmt.Errorf("parse command: %w", err)
	}
	return c, nil
}

// The agent's own lines in the kernel log (user-space records, so a
// module's printk never is one): around each step, and at the end of the
// run. On the console they mark where a step's lines lie, in the kernel
// log's own clock.
const DoneMark = "lkmlab: done"

// ReadyMark is written as the agent says Ready: what the console shows
// before it is the boot's.
const ReadyMark = "lkmlab: ready"

// BeginMark is written as step i starts, before the module runs.
func BeginMark(i int) string { return fmt.Sprintf("lkmlab: step %d begins", i) }

// EndMark is written as step i ends; it also ends a line the module left
// without a newline.
func EndMark(i int) string { return fmt.Sprintf("lkmlab: end of step %d", i) }
