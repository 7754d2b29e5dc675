package vm

import (
	"context"
	"io"
	"net"
	"sync"
	"time"
)

// Driver talks to the guest agent over its channel for the length of a
// run. When Drive returns, the host ends the VM (the guest's own power-off
// is not worth waiting for); an error it returns is kept in
// Result.DriveErr.
type Driver interface {
	Drive(ctx context.Context, s *Session) error
}

// Session is a running VM as its driver sees it: the agent's channel
// (every byte read is also kept in Result.Channel), the console so far,
// and what QMP can do.
type Session struct {
	conn    net.Conn
	rec     io.Writer
	mon     *monitor
	console *lineLog
	exited  <-chan struct{}
	run     *run
}

// Running waits until the guest runs: at once for a boot, once the saved
// state has loaded for a restore (nil), or until it failed to (the error).
func (s *Session) Running() error {
	<-s.run.running
	return s.run.res.RestoreErr
}

// Read reads what the agent sent.
func (s *Session) Read(p []byte) (int, error) {
	n, err := s.conn.Read(p)
	if n > 0 {
		_, _ = s.rec.Write(p[:n])
	}
	return n, err
}

// Write sends bytes to the agent.
func (s *Session) Write(p []byte) (int, error) { return s.conn.Write(p) }

// Save stops the guest, saves its whole state to path, and lets it go on:
// a later Run with Options.Incoming = path starts from this moment.
func (s *Session) Save(path string) error { return s.mon.save(path, saveTimeout, s.exited) }

// Status is QEMU's run state for the guest ("running", "paused",
// "guest-panicked", "shutdown"), "" when QMP does not answer.
func (s *Session) Status() string { return s.mon.status() }

// Exited is closed when QEMU has exited.
func (s *Session) Exited() <-chan struct{} { return s.exited }

// Console returns the console lines from index from on, and a channel
// that is closed when another line arrives (or the VM exits).
func (s *Session) Console(from int) ([]string, <-chan struct{}) { return s.console.since(from) }

// MaxConsoleBytes bounds the console a run keeps: a guest can print
// megabytes a second for as long as it runs, and a class is graded many
// VMs at a time. Past it one line, ConsoleCut, says lines were not kept.
const MaxConsoleBytes = 64 << 20

// ConsoleCut is the line a run's console ends with when it grew past
// MaxConsoleBytes. It has no kernel time stamp: no printk can make it.
const ConsoleCut = "lkmlab host: console lines past this one were not kept"

// lineLog keeps console lines and wakes whoever waits for the next.
type lineLog struct {
	mu    sync.Mutex
	lines []string
	bytes int
	more  chan struct{}
}

func newLineLog() *lineLog { return &lineLog{more: make(chan struct{})} }

func (l *lineLog) add(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.bytes > MaxConsoleBytes:
		return
	case l.bytes+len(line) > MaxConsoleBytes:
		line = ConsoleCut
		l.bytes = MaxConsoleBytes + 1
	default:
		l.bytes += len(line)
	}
	l.lines = append(l.lines, line)
	close(l.more)
	l.more = make(chan struct{})
}

func (l *lineLog) since(from int) ([]string, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if from > len(l.lines) {
		from = len(l.lines)
	}
	return append([]string(nil), l.lines[from:]...), l.more
}

func (l *lineLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// recorder keeps the channel's bytes and when the first one came.
type recorder struct {
	mu    sync.Mutex
	buf   []byte
	first time.Time
}

func (r *recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.first.IsZero() && len(p) > 0 {
		r.first = time.Now()
	}
	// The driver reads the channel as it comes; this copy is for the
	// logs, and a guest flooding the channel must not grow it without end.
	r.buf = append(r.buf, p[:min(len(p), maxChannelCopy-len(r.buf))]...)
	return len(p), nil
}

// maxChannelCopy bounds the copy of the channel a run keeps.
const maxChannelCopy = 16 << 20

func (r *recorder) bytes() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]byte(nil), r.buf...)
}

func (r *recorder) firstAt() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.first
}

// drain is the Driver of a run without one: it keeps what the agent says
// until the guest powers off.
type drain struct{}

func (drain) Drive(_ context.Context, s *Session) error {
	_, err := io.Copy(io.Discard, s)
	return err
}
