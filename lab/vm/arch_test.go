package vm

import (
	"errors"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hugelgupf/vmtest/qemu"
)

// TestArm64Devices pins what an arm64 guest's devices add: the virt board,
// a PL011 console, the channel on a PCI UART's second port, no pvpanic.
func TestArm64Devices(t *testing.T) {
	l, err := net.Listen("unix", filepath.Join(t.TempDir(), "c.sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	a := arches["arm64"]
	tcg := Accel{Name: "tcg"}
	for _, tc := range []struct {
		name         string
		fn           qemu.Fn
		qemu, kernel string
	}{
		{"machine", machineFor(a, tcg, 512, 2, false), "-M virt -m 512 -smp 2 -nodefaults -no-user-config -no-reboot -accel tcg,thread=multi -cpu max", ""},
		{"plain machine", machineFor(a, tcg, 256, 2, true), "-M virt -no-reboot -accel tcg -m 256", ""},
		{"console", consoleFor(a, false), "-serial stdio", "console=ttyAMA0 quiet printk.devkmsg=on"},
		{"panics", panicsFor(a), "-action panic=exit-failure", "panic=-1"},
		{"channel", channelFor(a, l, nil), "-chardev socket,id=lkmlab-channel,path=" + l.Addr().String() +
			" -device virtio-serial-device -device virtconsole,chardev=lkmlab-channel", ""},
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
}

func TestMissingQEMUNamesThePackage(t *testing.T) {
	tests := []struct{ arch, qemu, want string }{
		{"arm64", "", "qemu-system-aarch64 not found: apt-get install qemu-system-arm"},
		{"arm64", "/nonexistent/qemu-system-aarch64", "qemu-system-aarch64 not found: apt-get install qemu-system-arm"},
		{"", "/nonexistent/qemu-system-x86_64", "qemu-system-x86_64 not found: apt-get install qemu-system-x86"},
	}
	for _, tc := range tests {
		t.Setenv("PATH", t.TempDir()) // no QEMU at all
		_, err := Run(t.Context(), Options{Arch: tc.arch, QEMU: tc.qemu, Kernel: "k", Initramfs: "i"})
		if !errors.Is(err, ErrNoQEMU) || err.Error() != tc.want {
			t.Errorf("%s %q: err = %v, want %q", tc.arch, tc.qemu, err, tc.want)
		}
	}
}

func TestUnknownArchIsAnError(t *testing.T) {
	_, err := Run(t.Context(), Options{Arch: "riscv64", Kernel: "k", Initramfs: "i"})
	if err == nil || !strings.Contains(err.Error(), "amd64 and arm64") {
		t.Fatalf("err = %v, want one naming the architectures lkmlab boots", err)
	}
}
