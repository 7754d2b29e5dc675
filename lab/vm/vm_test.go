package vm

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hugelgupf/vmtest/qemu"
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

// TestLineWriterCutsAnEndlessLine: a guest writing the UART without a
// newline costs the host maxLine bytes, and the next line is whole.
func TestLineWriterCutsAnEndlessLine(t *testing.T) {
	var got []string
	w := &lineWriter{fn: func(l string) { got = append(got, l) }}
	chunk := []byte(strings.Repeat("x", 4096))
	for range 4 * maxLine / len(chunk) {
		w.Write(chunk)
	}
	if len(w.buf) > maxLine {
		t.Fatalf("buffered %d bytes of one line, more than %d", len(w.buf), maxLine)
	}
	w.Write([]byte("x\nnext\n"))
	if len(got) != 2 || len(got[0]) != maxLine || got[1] != "next" {
		t.Fatalf("%d lines (first %d bytes), want the cut line and %q", len(got), len(got[0]), "next")
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

// TestDeviceArguments pins what each device adds to QEMU's and the
// kernel's command lines: a machine is a list of devices.
func TestDeviceArguments(t *testing.T) {
	l, err := net.Listen("unix", filepath.Join(t.TempDir(), "c.sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	tcg := Accel{Name: "tcg"}
	for _, tc := range []struct {
		name         string
		fn           qemu.Fn
		qemu, kernel string
	}{
		{"plain machine", machine(tcg, 256, 2, true), "-no-reboot -accel tcg -m 256", ""},
		{"console", console(false), "-serial stdio", "console=ttyS0 quiet printk.devkmsg=on"},
		{"plain console", console(true), "-serial mon:stdio", "console=ttyS0 printk.devkmsg=on"},
		{"panics", panics(), "-device pvpanic -action panic=exit-failure", "panic=-1"},
		{"channel", channel(l, nil), "-serial unix:" + l.Addr().String(), ""},
		{"qmp", qmpSocket("/q.sock"), "-qmp unix:/q.sock,server=on,wait=off", ""},
		{"incoming", incoming(), "-incoming defer", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := &qemu.Options{}
			if err := tc.fn(qemu.NewIDAllocator(), o); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(o.QEMUArgs, " "); got != tc.qemu {
				t.Errorf("QEMU arguments %q, want %q", got, tc.qemu)
			}
			if got := strings.TrimSpace(o.KernelArgs); got != tc.kernel {
				t.Errorf("kernel arguments %q, want %q", got, tc.kernel)
			}
		})
	}
	// The tuned machine: its accelerator's arguments and no default devices.
	o := &qemu.Options{}
	if err := machine(tcg, 512, 2, false)(qemu.NewIDAllocator(), o); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(o.QEMUArgs, " ")
	if !strings.HasPrefix(got, "-M pc -m 512 -smp 2 -nodefaults -no-user-config -no-reboot -accel tcg,thread=multi -cpu max") {
		t.Errorf("machine arguments %q", got)
	}
}

// TestConsoleIsBounded: a guest that prints without end costs the host a
// bounded amount of memory, and the console says where it was cut.
func TestConsoleIsBounded(t *testing.T) {
	l := newLineLog()
	line := strings.Repeat("x", 1<<10)
	for range 2 * MaxConsoleBytes / len(line) {
		l.add(line)
	}
	all := l.all()
	if got := len(all) * len(line); got > MaxConsoleBytes+len(line) {
		t.Fatalf("kept %d bytes of console, more than %d", got, MaxConsoleBytes)
	}
	if all[len(all)-1] != ConsoleCut {
		t.Fatalf("last console line %.40q, want %q", all[len(all)-1], ConsoleCut)
	}
}

// TestGuestsPageInFourLevels: an x86-64 guest runs with four-level paging
// (no LA57) under either accelerator, as students' machines and the seed
// do; arm64's CPU model takes no such flag.
func TestGuestsPageInFourLevels(t *testing.T) {
	for _, a := range []Accel{{Name: "tcg"}, {Name: "kvm"}} {
		if got := strings.Join(arches["amd64"].cpuArgs(a), " "); !strings.Contains(got, ",la57=off") {
			t.Errorf("amd64 %s: %q lacks la57=off", a.Name, got)
		}
		if got := strings.Join(arches["arm64"].cpuArgs(a), " "); strings.Contains(got, "la57") {
			t.Errorf("arm64 %s: %q", a.Name, got)
		}
	}
}

// TestReproduceVirtioChannel: an arm64 run's channel, a chardev socket,
// becomes a file for a run by hand, as a PC's serial one does.
func TestReproduceVirtioChannel(t *testing.T) {
	args := []string{"qemu-system-aarch64", "-serial", "stdio", "-chardev", "socket,id=lkmlab-channel,path=/tmp/x/channel.sock",
		"-device", "virtio-serial-device", "-device", "virtconsole,chardev=lkmlab-channel"}
	want := "qemu-system-aarch64 -serial stdio -chardev file,id=lkmlab-channel,path=/w/channel-0.out -device virtio-serial-device -device virtconsole,chardev=lkmlab-channel"
	if got := Reproduce(args, "/w/channel-0.out", ""); got != want {
		t.Errorf("Reproduce = %q, want %q", got, want)
	}
}
