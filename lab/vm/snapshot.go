package vm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/digitalocean/go-qemu/qmp"
	"github.com/hugelgupf/vmtest/qemu"
)

// Save asks Run to save the machine's state once the guest is ready to be
// restored many times: when the agent's channel output contains Marker,
// the guest is stopped, its state written to Path (QMP migrate), and it
// goes on. Run with Options.Incoming set to Path starts from that moment.
type Save struct {
	Path   string
	Marker []byte
}

// incoming restores the state saved in path instead of booting; QEMU runs
// the guest once the state is loaded.
func incoming(path string) qemu.Fn {
	return func(_ *qemu.IDAllocator, o *qemu.Options) error {
		o.AppendQEMU("-incoming", "exec:cat "+shellQuote(path))
		return nil
	}
}

// shellQuote quotes s for the /bin/sh that QEMU's exec: migration runs.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// markerWriter passes writes on and closes seen once a line containing
// marker is complete (the marker and the newline after it may span writes).
type markerWriter struct {
	w      interface{ Write([]byte) (int, error) }
	marker []byte
	buf    []byte // a tail to search, or after the marker, the rest of its line
	found  bool
	seen   chan struct{}
}

func newMarkerWriter(w interface{ Write([]byte) (int, error) }, marker []byte) *markerWriter {
	return &markerWriter{w: w, marker: marker, seen: make(chan struct{})}
}

func (m *markerWriter) Write(p []byte) (int, error) {
	if len(m.marker) > 0 && (!m.found || m.buf != nil) {
		m.scan(p)
	}
	return m.w.Write(p)
}

func (m *markerWriter) scan(p []byte) {
	m.buf = append(m.buf, p...)
	if !m.found {
		i := bytes.Index(m.buf, m.marker)
		if i < 0 {
			m.buf = append([]byte{}, m.buf[max(0, len(m.buf)-len(m.marker)+1):]...)
			return
		}
		m.found = true
		m.buf = m.buf[i+len(m.marker):]
		if m.marker[len(m.marker)-1] == '\n' {
			m.buf = append(m.buf, '\n')
		}
	}
	if bytes.IndexByte(m.buf, '\n') >= 0 {
		close(m.seen)
		m.buf = nil
	}
}

// save stops the guest, writes its state to path and lets it run again.
// QMP migrate to a pipe: QEMU 7.2 has no file: URI.
func (m *monitor) save(path string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var mon *qmp.SocketMonitor
	for mon == nil {
		m.mu.Lock()
		mon = m.mon
		m.mu.Unlock()
		if mon == nil {
			if time.Now().After(deadline) {
				return errors.New("QMP never answered")
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	cmds := []string{
		`{"execute":"stop"}`,
		// The default limit (128 MiB/s) would make saving a stopped
		// guest slower than booting one.
		`{"execute":"migrate-set-parameters","arguments":{"max-bandwidth":100000000000}}`,
		`{"execute":"migrate","arguments":{"uri":` + jsonString("exec:cat > "+shellQuote(path)) + `}}`,
	}
	for _, c := range cmds {
		if err := qmpRun(mon, c); err != nil {
			return err
		}
	}
	for {
		raw, err := mon.Run([]byte(`{"execute":"query-migrate"}`))
		if err != nil {
			return fmt.Errorf("query-migrate: %w", err)
		}
		var r struct {
			Return struct {
				Status    string `json:"status"`
				ErrorDesc string `json:"error-desc"`
			} `json:"return"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			return fmt.Errorf("query-migrate: %w", err)
		}
		switch r.Return.Status {
		case "completed":
			return qmpRun(mon, `{"execute":"cont"}`)
		case "failed", "cancelled":
			_ = qmpRun(mon, `{"execute":"cont"}`)
			return fmt.Errorf("migrate %s: %s", r.Return.Status, r.Return.ErrorDesc)
		}
		if time.Now().After(deadline) {
			_ = qmpRun(mon, `{"execute":"migrate_cancel"}`)
			_ = qmpRun(mon, `{"execute":"cont"}`)
			return fmt.Errorf("migrate still %q after %v", r.Return.Status, timeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func qmpRun(mon *qmp.SocketMonitor, cmd string) error {
	raw, err := mon.Run([]byte(cmd))
	if err != nil {
		return fmt.Errorf("qmp %s: %w", cmd, err)
	}
	var r struct {
		Error *struct {
			Desc string `json:"desc"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &r) == nil && r.Error != nil {
		return fmt.Errorf("qmp %s: %s", cmd, r.Error.Desc)
	}
	return nil
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// MachineID names everything a saved state depends on besides the guest's
// own files: QEMU's binary, the kernel image, the firmware, the machine's
// shape. A state saved under another MachineID cannot be restored.
func MachineID(o Options) (string, error) {
	o = o.withDefaults()
	qemuPath, err := exec.LookPath(o.QEMU)
	if err != nil {
		return "", ErrNoQEMU
	}
	var b strings.Builder
	for _, p := range []string{qemuPath, o.Kernel, qboot} {
		fi, err := os.Stat(p)
		if err != nil {
			if p == qboot {
				continue
			}
			return "", err
		}
		fmt.Fprintf(&b, "%s %d %d\n", p, fi.Size(), fi.ModTime().UnixNano())
	}
	fmt.Fprintf(&b, "%v mem=%d cpus=%d plain=%v\n", o.Accel.Args(), o.MemoryMiB, o.CPUs, o.Plain)
	return b.String(), nil
}

// resumeRestored starts a restored guest: it was saved stopped, and QEMU
// keeps it stopped once the state is loaded.
func (m *monitor) resumeRestored(timeout time.Duration, exited <-chan struct{}) error {
	deadline := time.Now().Add(timeout)
	for {
		select {
		case <-exited:
			return nil
		default:
		}
		m.mu.Lock()
		mon := m.mon
		m.mu.Unlock()
		if mon != nil {
			switch s := queryStatus(mon); s {
			case "paused", "postmigrate":
				return qmpRun(mon, `{"execute":"cont"}`)
			case "running":
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the saved state did not load within %v", timeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
