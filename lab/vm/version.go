package vm

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// qemuVersions caches QEMUVersion by the binary's resolved path: a grader
// asks once per report, and QEMU takes a few milliseconds to answer.
var qemuVersions sync.Map // path -> string

// QEMUVersion returns what `qemu --version` says of itself, e.g.
// "7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)", for reports. qemu is a
// program name or path; "" means qemu-system-x86_64.
func QEMUVersion(qemu string) (string, error) {
	if qemu == "" {
		qemu = "qemu-system-x86_64"
	}
	path, err := exec.LookPath(qemu)
	if err != nil {
		return "", fmt.Errorf("read QEMU version: %w (apt-get install qemu-system-x86)", err)
	}
	if v, ok := qemuVersions.Load(path); ok {
		return v.(string), nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("read QEMU version: %s --version: %w", path, err)
	}
	v, err := parseQEMUVersion(string(out))
	if err != nil {
		return "", fmt.Errorf("read QEMU version of %s: %w", path, err)
	}
	qemuVersions.Store(path, v)
	return v, nil
}

// parseQEMUVersion takes the version from the first line of
// `qemu-system-* --version`: "QEMU emulator version 7.2.22 (Debian ...)".
func parseQEMUVersion(out string) (string, error) {
	first, _, _ := strings.Cut(out, "\n")
	const prefix = "QEMU emulator version "
	i := strings.Index(first, prefix)
	if i < 0 {
		return "", fmt.Errorf("unexpected --version output %q", first)
	}
	v := strings.TrimSpace(first[i+len(prefix):])
	if v == "" {
		return "", fmt.Errorf("unexpected --version output %q", first)
	}
	return v, nil
}
