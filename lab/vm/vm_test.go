package vm

import (
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

func TestShellQuote(t *testing.T) {
	if got := shellQuote("/a b/it's"); got != `'/a b/it'\''s'` {
		t.Fatalf("shellQuote = %s", got)
	}
}

func TestReproduceRunsWithoutTheHost(t *testing.T) {
	args := []string{"qemu-system-x86_64", "-serial", "stdio", "-serial", "unix:/tmp/x/channel.sock", "-qmp", "unix:/tmp/x/qmp.sock,server=on,wait=off",
		"-incoming", "defer", "-append", "console=ttyS0 quiet"}
	got := Reproduce(args, "/w/channel-0.out", "/w/state-0")
	want := `qemu-system-x86_64 -serial stdio -serial file:/w/channel-0.out -incoming 'exec:cat '\''/w/state-0'\''' -append 'console=ttyS0 quiet'`
	if got != want {
		t.Fatalf("Reproduce =\n%s\nwant\n%s", got, want)
	}
}
