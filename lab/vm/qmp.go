package vm

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/digitalocean/go-qemu/qmp"
	"github.com/digitalocean/go-qemu/qmp/raw"
)

// monitor is the VM's QMP connection: typed commands through go-qemu's
// raw monitor, and events. go-qemu delivers events synchronously on one
// channel, and a command's reply waits behind an unread event, so the
// event loop never blocks: it records what it sees and hands events to
// waiters through buffered channels. Nothing is ever run from inside it.
type monitor struct {
	ready chan struct{} // closed once connected (or given up)
	sock  *qmp.SocketMonitor
	raw   *raw.Monitor
	stop  context.CancelFunc

	mu      sync.Mutex
	panic   bool
	waiters map[*waiter]struct{}
}

type waiter struct {
	match func(qmp.Event) bool
	ch    chan qmp.Event
}

// connect dials QEMU's QMP socket in the background; a VM that ends before
// the socket answers has no monitor, and every command says so.
func connect(path string, exited <-chan struct{}, logf func(string, ...any)) *monitor {
	ctx, cancel := context.WithCancel(context.Background())
	m := &monitor{ready: make(chan struct{}), stop: cancel, waiters: map[*waiter]struct{}{}}
	go func() {
		sock := dial(ctx, path, exited)
		if sock == nil {
			close(m.ready)
			return
		}
		events, err := sock.Events(ctx)
		m.sock, m.raw = sock, raw.NewMonitor(sock)
		close(m.ready)
		if err != nil {
			return
		}
		for ev := range events {
			m.dispatch(ev, logf)
		}
	}()
	return m
}

// dial retries until QEMU's socket answers or the VM is gone. QEMU
// creates the socket a moment after it starts: there is nothing to wait
// on but the socket itself.
func dial(ctx context.Context, path string, exited <-chan struct{}) *qmp.SocketMonitor {
	for ctx.Err() == nil {
		sock, err := qmp.NewSocketMonitor("unix", path, time.Second)
		if err == nil && sock.Connect() == nil {
			return sock
		}
		select {
		case <-exited:
			return nil
		case <-ctx.Done():
			return nil
		case <-time.After(10 * time.Millisecond):
		}
	}
	return nil
}

func (m *monitor) dispatch(ev qmp.Event, logf func(string, ...any)) {
	logf("qmp: event %s %v", ev.Event, ev.Data)
	m.mu.Lock()
	defer m.mu.Unlock()
	if ev.Event == "GUEST_PANICKED" {
		m.panic = true
	}
	for w := range m.waiters {
		if w.match(ev) {
			select {
			case w.ch <- ev:
			default:
			}
		}
	}
}

// errNoQMP means QEMU's monitor never answered.
var errNoQMP = errors.New("QEMU's QMP monitor did not answer")

// cmd waits for the connection and returns the typed monitor.
func (m *monitor) cmd() (*raw.Monitor, error) {
	<-m.ready
	if m.raw == nil {
		return nil, errNoQMP
	}
	return m.raw, nil
}

// expect registers interest in an event before the command that causes it
// runs; wait then returns it.
func (m *monitor) expect(match func(qmp.Event) bool) *waiter {
	w := &waiter{match: match, ch: make(chan qmp.Event, 8)}
	m.mu.Lock()
	m.waiters[w] = struct{}{}
	m.mu.Unlock()
	return w
}

func (m *monitor) wait(w *waiter, timeout time.Duration, exited <-chan struct{}) (qmp.Event, error) {
	defer func() {
		m.mu.Lock()
		delete(m.waiters, w)
		m.mu.Unlock()
	}()
	select {
	case ev := <-w.ch:
		return ev, nil
	case <-exited:
		return qmp.Event{}, errors.New("QEMU exited")
	case <-time.After(timeout):
		return qmp.Event{}, fmt.Errorf("no QMP event within %v", timeout)
	}
}

// status asks QEMU for the guest's run state ("running", "paused",
// "guest-panicked", ...); "" when QMP does not answer within a second.
func (m *monitor) status() string {
	done := make(chan string, 1)
	go func() {
		r, err := m.cmd()
		if err != nil {
			done <- ""
			return
		}
		st, err := r.QueryStatus()
		if err != nil {
			done <- ""
			return
		}
		done <- st.Status.String()
	}()
	select {
	case s := <-done:
		return s
	case <-time.After(time.Second):
		return ""
	}
}

// quit asks QEMU to quit and kills it if it has not exited within two
// seconds. It runs its command in a goroutine: QEMU may never reply.
func (m *monitor) quit(kill func() error, exited <-chan struct{}) {
	go func() {
		if r, err := m.cmd(); err == nil {
			_ = r.Quit()
		}
	}()
	select {
	case <-exited:
	case <-time.After(2 * time.Second):
		_ = kill()
	}
}

func (m *monitor) panicked() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.panic
}

func (m *monitor) close() {
	m.stop()
	select {
	case <-m.ready:
		if m.sock != nil {
			_ = m.sock.Disconnect()
		}
	default:
	}
}
