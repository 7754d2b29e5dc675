package vm

import (
	"errors"
	"fmt"
)

// guestArch is what differs between the machines lkmlab boots for each
// guest architecture: the QEMU binary and its package, the board, the
// kernel's name for the console port, and how the agent's channel and the
// panic device attach.
type guestArch struct {
	qemu, pkg string
	// board is the machine and its fixed parts, before accelerator and
	// firmware.
	board []string
	// console is the kernel's device for the first serial port.
	console string
	// channel attaches the second -serial port (QEMU's chardev serial1)
	// as the guest's /dev/ttyS1, where the agent reads.
	channel []string
	// panicDevice tells QEMU of a guest panic; nil where the kernel has
	// no driver for one (the panic then reboots, which -no-reboot turns
	// into an exit).
	panicDevice []string
	// firmware is loaded with -bios when it exists.
	firmware string
}

// arches are the guest architectures, by GOARCH.
var arches = map[string]guestArch{
	"amd64": {
		qemu: "qemu-system-x86_64", pkg: "qemu-system-x86",
		board:   []string{"-M", "pc"},
		console: "ttyS0",
		// The PC's second COM port is ttyS1 already.
		panicDevice: []string{"-device", "pvpanic"},
		// qboot starts a PVH kernel ~0.1 s sooner than SeaBIOS; it
		// still hands over QEMU's ACPI tables (poweroff, pvpanic).
		firmware: qboot,
	},
	// arm64 boots the Image directly on the virt board (no firmware: QEMU
	// passes the device tree, with a KASLR seed, itself). virt has one
	// UART, a PL011 (ttyAMA0), for the console. The channel goes on a
	// two-port PCI 16550 whose second port is serial1: Debian's arm64
	// kernel has the 8250 PCI driver built in, so the agent finds its
	// channel at /dev/ttyS1 there too, with no driver to load first (the
	// first port, ttyS0, is left unconnected). Debian's arm64 kernel has
	// no pvpanic driver.
	"arm64": {
		qemu: "qemu-system-aarch64", pkg: "qemu-system-arm",
		board:   []string{"-M", "virt"},
		console: "ttyAMA0",
		channel: []string{"-chardev", "null,id=lkmlab-unused", "-device", "pci-serial-2x,chardev1=lkmlab-unused,chardev2=serial1"},
	},
}

// archOf returns the machine for a GOARCH, "" being amd64.
func archOf(goarch string) (guestArch, error) {
	if goarch == "" {
		goarch = "amd64"
	}
	a, ok := arches[goarch]
	if !ok {
		return guestArch{}, fmt.Errorf("boot a %s guest: lkmlab boots amd64 and arm64 guests only", goarch)
	}
	return a, nil
}

// ErrNoQEMU means the QEMU binary is missing; errors.Is finds it in a
// *MissingQEMUError too.
var ErrNoQEMU = errors.New("qemu-system-x86_64 not found: apt-get install qemu-system-x86")

// MissingQEMUError names the QEMU binary a guest architecture needs and
// the Debian package that has it.
type MissingQEMUError struct{ Binary, Package string }

func (e *MissingQEMUError) Error() string {
	return e.Binary + " not found: apt-get install " + e.Package
}

// Is makes errors.Is(err, ErrNoQEMU) hold for every architecture.
func (e *MissingQEMUError) Is(target error) bool { return target == ErrNoQEMU }
