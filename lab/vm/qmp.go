package vm

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/digitalocean/go-qemu/qmp"
	"github.com/hugelgupf/vmtest/qemu"
)

// monitor watches QMP events and quits the VM on request. go-qemu delivers
// events synchronously on one channel, so the event loop only records what
// it sees; quit runs in its own goroutine, never inside the loop.
type monitor struct {
	mu    sync.Mutex
	mon   *qmp.SocketMonitor
	panic bool
	stop  context.CancelFunc
}

// watch connects to QMP in the background; a VM that ends before the
// socket answers simply has no monitor.
func watch(path string, logf func(string, ...any)) *monitor {
	ctx, cancel := context.WithCancel(context.Background())
	m := &monitor{stop: cancel}
	go func() {
		var mon *qmp.SocketMonitor
		for ctx.Err() == nil {
			var err error
			if mon, err = qmp.NewSocketMonitor("unix", path, time.Second); err == nil && mon.Connect() == nil {
				break
			}
			mon = nil
			time.Sleep(20 * time.Millisecond)
		}
		if mon == nil {
			return
		}
		m.mu.Lock()
		m.mon = mon
		m.mu.Unlock()
		events, err := mon.Events(ctx)
		if err != nil {
			return
		}
		for ev := range events {
			logf("qmp: event %s", ev.Event)
			if ev.Event == "GUEST_PANICKED" {
				m.mu.Lock()
				m.panic = true
				m.mu.Unlock()
			}
		}
	}()
	return m
}

// status asks QEMU for the guest's run state ("running",
// "guest-panicked", ...); "" when QMP does not answer.
func (m *monitor) status() string {
	m.mu.Lock()
	mon := m.mon
	m.mu.Unlock()
	if mon == nil {
		return ""
	}
	return queryStatus(mon)
}

// quit asks QEMU to quit over QMP and kills it if it has not exited
// within two seconds.
func (m *monitor) quit(v *qemu.VM, exited <-chan struct{}) {
	m.mu.Lock()
	mon := m.mon
	m.mu.Unlock()
	if mon != nil {
		go func() { _, _ = mon.Run([]byte(`{"execute":"quit"}`)) }()
		t := time.NewTimer(2 * time.Second)
		defer t.Stop()
		select {
		case <-exited:
			return
		case <-t.C:
		}
	}
	_ = v.Kill()
}

func queryStatus(mon *qmp.SocketMonitor) string {
	done := make(chan string, 1)
	go func() {
		raw, err := mon.Run([]byte(`{"execute":"query-status"}`))
		var r struct {
			Return struct {
				Status string `json:"status"`
			} `json:"return"`
		}
		if err != nil || json.Unmarshal(raw, &r) != nil {
			done <- ""
			return
		}
		done <- r.Return.Status
	}()
	select {
	case s := <-done:
		return s
	case <-time.After(time.Second):
		return ""
	}
}

func (m *monitor) panicked() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.panic
}

func (m *monitor) close() {
	m.stop()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.mon != nil {
		_ = m.mon.Disconnect()
	}
}
