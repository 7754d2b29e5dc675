package command

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// tailLines is how many of the last output lines an Error keeps.
const tailLines = 10

// maxLineBytes bounds one quoted line: output is untrusted and people read it.
const maxLineBytes = 400

// Ending says how a run that did not succeed ended.
type Ending int

const (
	// Exited: the program exited with a non-zero code.
	Exited Ending = iota
	// Signaled: a signal Run did not send killed it (the OOM killer, a
	// CPU-time or file-size limit, a crash).
	Signaled
	// TimedOut: the wall-clock limit passed; Run killed the group.
	TimedOut
	// Canceled: the context ended; Run killed the group.
	Canceled
	// NotStarted: the program could not be started or waited for.
	NotStarted
)

func (e Ending) String() string {
	switch e {
	case Exited:
		return "exited"
	case Signaled:
		return "signaled"
	case TimedOut:
		return "timed out"
	case Canceled:
		return "canceled"
	case NotStarted:
		return "not started"
	}
	return fmt.Sprintf("Ending(%d)", int(e))
}

// Error is a run that did not exit 0.
type Error struct {
	Argv    []string
	How     Ending
	Code    int           // the exit code (Exited) or signal number (Signaled)
	Timeout time.Duration // the limit that passed (TimedOut)
	Tail    []string      // the last lines of the captured output
	Err     error         // *exec.ExitError, the context's error, or the start error
}

// Status says how the run ended, without its output: "exit status 2",
// "timed out after 2m0s (process group killed)".
func (e *Error) Status() string {
	switch e.How {
	case Exited:
		return fmt.Sprintf("exit status %d", e.Code)
	case Signaled:
		return fmt.Sprintf("killed by signal %d (%s)", e.Code, syscall.Signal(e.Code))
	case TimedOut:
		return fmt.Sprintf("timed out after %v (process group killed)", e.Timeout)
	case Canceled:
		return fmt.Sprintf("canceled (process group killed): %v", e.Err)
	}
	return fmt.Sprintf("start: %v", e.Err)
}

// Error gives the command, how it ended and its last three lines.
func (e *Error) Error() string {
	msg := label(e.Argv) + ": " + e.Status()
	if t := e.Tail[max(0, len(e.Tail)-3):]; len(t) > 0 {
		msg += ": " + strings.Join(t, "; ")
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// exitStatus reads how an exited process ended.
func exitStatus(xe *exec.ExitError) (Ending, int) {
	if ws, ok := xe.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return Signaled, int(ws.Signal())
	}
	return Exited, xe.ExitCode()
}

// lastLines returns the last n non-blank lines of out, each cut to
// maxLineBytes.
func lastLines(out []byte, n int) []string {
	var lines []string
	for len(out) > 0 && len(lines) < n {
		out = bytes.TrimRight(out, "\r\n")
		i := bytes.LastIndexByte(out, '\n')
		line := strings.TrimSpace(string(out[i+1:]))
		out = out[:max(i, 0)]
		if line == "" {
			continue
		}
		if len(line) > maxLineBytes {
			line = line[:maxLineBytes] + "..."
		}
		lines = append(lines, line)
	}
	for i, j := 0, len(lines)-1; i < j; i, j = i+1, j-1 {
		lines[i], lines[j] = lines[j], lines[i]
	}
	return lines
}
