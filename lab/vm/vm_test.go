package vm

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
)

func TestRunWithoutQEMUSaysWhatToInstall(t *testing.T) {
	_, err := Run(context.Background(), Options{QEMU: "/nonexistent/qemu-system-x86_64", Kernel: "k", Initramfs: "i"})
	if !errors.Is(err, ErrNoQEMU) || err.Error() != "qemu-system-x86_64 not found: apt-get install qemu-system-x86" {
		t.Fatalf("err = %v", err)
	}
}

func TestProbeAccelOverride(t *testing.T) {
	t.Setenv("LKMLAB_ACCEL", "tcg")
	if a := ProbeAccel(); a.Name != "tcg" || a.Reason != "set by LKMLAB_ACCEL" {
		t.Fatalf("ProbeAccel = %+v", a)
	}
}

func TestProbeAccelNeverPicksPVM(t *testing.T) {
	if !exists("/sys/module/kvm_pvm") {
		t.Skip("this host has no kvm_pvm")
	}
	if a := ProbeAccel(); a.Name != "tcg" {
		t.Fatalf("ProbeAccel on a kvm_pvm host = %+v, want tcg", a)
	}
}

func TestLineWriter(t *testing.T) {
	var got []string
	w := &lineWriter{fn: func(l string) { got = append(got, l) }}
	w.Write([]byte("a\r\nb"))
	w.Write([]byte("c\nd"))
	w.Close()
	if len(got) != 3 || got[0] != "a" || got[1] != "bc" || got[2] != "d" {
		t.Fatalf("lines %q", got)
	}
}

// TestProbeAccelUsesKVMOnGitHub: GitHub's runners have working KVM (the
// workflow opens /dev/kvm); falling back to TCG there would hide a broken
// setup behind slow runs.
func TestProbeAccelUsesKVMOnGitHub(t *testing.T) {
	if os.Getenv("GITHUB_ACTIONS") != "true" {
		t.Skip("not on GitHub Actions")
	}
	if a := ProbeAccel(); a.Name != "kvm" {
		t.Fatalf("ProbeAccel on a GitHub runner = %s", a)
	}
}

func TestMarkerWriterWaitsForTheWholeLine(t *testing.T) {
	var sink bytes.Buffer
	m := newMarkerWriter(&sink, []byte(`@@x {"kind":"done"`))
	seen := func() bool {
		select {
		case <-m.seen:
			return true
		default:
			return false
		}
	}
	for _, part := range []string{"noise @@x {\"ki", "nd\":\"do", "ne\",\"uptime_us\":5"} {
		m.Write([]byte(part))
		if seen() {
			t.Fatalf("seen after %q: the line is not complete", part)
		}
	}
	m.Write([]byte("}\nmore"))
	if !seen() {
		t.Fatal("marker line complete but not seen")
	}
	m.Write([]byte("@@x {\"kind\":\"done\"\n")) // a second one must not close twice
	if sink.String() != "noise @@x {\"kind\":\"done\",\"uptime_us\":5}\nmore@@x {\"kind\":\"done\"\n" {
		t.Fatalf("passed on %q", sink.String())
	}
	parked := newMarkerWriter(&sink, []byte("@@parked\n"))
	parked.Write([]byte("@@par"))
	parked.Write([]byte("ked\n"))
	select {
	case <-parked.seen:
	default:
		t.Fatal("a marker ending in a newline is a whole line")
	}
}

func TestShellQuote(t *testing.T) {
	if got := shellQuote("/a b/it's"); got != `'/a b/it'\''s'` {
		t.Fatalf("shellQuote = %s", got)
	}
}
