package vm

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/digitalocean/go-qemu/qmp"
	"github.com/digitalocean/go-qemu/qmp/raw"
	"github.com/hugelgupf/vmtest/qemu"
)

// A saved guest is written with QMP migrate to a pipe (QEMU 7.2 has no
// file: URI) and restored with a deferred incoming migration from the same
// file. Both sides turn on migration events, so completion is an event,
// not a state polled for.

// incoming makes QEMU wait for a migration instead of booting; restore
// starts it.
func incoming() qemu.Fn {
	return func(_ *qemu.IDAllocator, o *qemu.Options) error {
		o.AppendQEMU("-incoming", "defer")
		return nil
	}
}

// shellQuote quotes s for the /bin/sh that QEMU's exec: migration runs.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// migrationEnded matches the MIGRATION event of a migration that is over.
func migrationEnded(ev qmp.Event) bool {
	if ev.Event != "MIGRATION" {
		return false
	}
	s, _ := ev.Data["status"].(string)
	return s == "completed" || s == "failed" || s == "cancelled"
}

func migrationStatus(ev qmp.Event) string {
	s, _ := ev.Data["status"].(string)
	return s
}

func withEvents(r *raw.Monitor) error {
	return r.MigrateSetCapabilities([]raw.MigrationCapabilityStatus{{Capability: raw.MigrationCapabilityEvents, State: true}})
}

// save stops the guest, writes its state to path and lets it run again.
func (m *monitor) save(path string, timeout time.Duration, exited <-chan struct{}) error {
	r, err := m.cmd()
	if err != nil {
		return err
	}
	// The default limit (128 MiB/s) would make saving a stopped guest
	// slower than booting one.
	bw := int64(100_000_000_000)
	if err := r.Stop(); err != nil {
		return fmt.Errorf("qmp stop: %w", err)
	}
	cont := func() { _ = r.Cont() }
	if err := withEvents(r); err != nil {
		cont()
		return fmt.Errorf("qmp migrate-set-capabilities: %w", err)
	}
	if err := r.MigrateSetParameters(&raw.MigrateSetParameters{MaxBandwidth: &bw}); err != nil {
		cont()
		return fmt.Errorf("qmp migrate-set-parameters: %w", err)
	}
	w := m.expect(migrationEnded)
	if err := r.Migrate("exec:cat > "+shellQuote(path), nil, nil, nil); err != nil {
		cont()
		return fmt.Errorf("qmp migrate: %w", err)
	}
	ev, err := m.wait(w, timeout, exited)
	if err != nil {
		_ = r.MigrateCancel()
		cont()
		return fmt.Errorf("save guest: %w", err)
	}
	if s := migrationStatus(ev); s != "completed" {
		cont()
		return fmt.Errorf("save guest: migration %s", s)
	}
	return contAfterMigration(r)
}

// contAfterMigration resumes the guest. QEMU sends the completed event
// from the migration thread before it has finished its cleanup, and
// refuses cont until then ("Migration is not finalized yet"): a moment
// later it takes it.
func contAfterMigration(r *raw.Monitor) error {
	var err error
	for try := 0; try < 200; try++ {
		if err = r.Cont(); err == nil || !strings.Contains(err.Error(), "not finalized") {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("qmp cont: %w", err)
	}
	return nil
}

// restore loads the state saved in path into a QEMU started with
// incoming() and runs the guest: it was saved stopped, and QEMU keeps it
// stopped once the state is loaded.
func (m *monitor) restore(path string, timeout time.Duration, exited <-chan struct{}) error {
	r, err := m.cmd()
	if err != nil {
		return err
	}
	if err := withEvents(r); err != nil {
		return fmt.Errorf("qmp migrate-set-capabilities: %w", err)
	}
	w := m.expect(migrationEnded)
	if err := r.MigrateIncoming("exec:cat " + shellQuote(path)); err != nil {
		return fmt.Errorf("qmp migrate-incoming: %w", err)
	}
	ev, err := m.wait(w, timeout, exited)
	if err != nil {
		return fmt.Errorf("restore guest: %w", err)
	}
	if s := migrationStatus(ev); s != "completed" {
		return fmt.Errorf("restore guest: loading the saved state %s", s)
	}
	return contAfterMigration(r)
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
	arch, err := archOf(o.Arch)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&b, "%v mem=%d cpus=%d plain=%v\n", arch.cpuArgs(o.Accel), o.MemoryMiB, o.CPUs, o.Plain)
	return b.String(), nil
}
