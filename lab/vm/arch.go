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
	// console is the kernel's name for the console's port.
	console string
	// channelDevice attaches the agent's channel to the chardev
	// lkmlab-channel (the host's socket); nil puts it on the next -serial
	// port (a PC's COM2, ttyS1).
	channelDevice []string
	// panicDevice tells QEMU of a guest panic; nil where the kernel has
	// no driver for one (the panic then reboots, which -no-reboot turns
	// into an exit).
	panicDevice []string
	// firmware is loaded with -bios when it exists.
	firmware string
	// cpuFlags follow the accelerator's CPU model (-cpu max or host).
	cpuFlags string
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
		// Four-level paging, as on the machines students write their page
		// walks on (and in the seed's own sample, where the P4D is the
		// PGD): QEMU's max CPU offers LA57, and a walk that skips the P4D
		// would be wrong only here.
		cpuFlags: ",la57=off",
	},
	// arm64 boots the Image directly on the virt board (no firmware: QEMU
	// passes the device tree, with a KASLR seed, itself). virt's one
	// UART, a PL011 (ttyAMA0), is the console. The agent's channel is a
	// virtio console (hvc0, on virtio-mmio; the agent loads Debian's
	// virtio_mmio and virtio_console modules before it opens it): QEMU
	// hands a UART the host's bytes one (PL011) or sixteen (16550) per
	// main-loop turn, which under TCG was about 1.5 KB/s on arm64 (the six
	// seed modules took 91 s to send to a restored guest, more than a cold
	// boot), where virtio takes whole buffers. Debian's arm64 kernel has no
	// pvpanic driver.
	"arm64": {
		qemu: "qemu-system-aarch64", pkg: "qemu-system-arm",
		board:         []string{"-M", "virt"},
		console:       "ttyAMA0",
		channelDevice: []string{"-device", "virtio-serial-device", "-device", "virtconsole,chardev=lkmlab-channel"},
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

// cpuArgs are the accelerator's arguments with the architecture's CPU
// flags on its -cpu model.
func (g guestArch) cpuArgs(a Accel) []string {
	args := a.Args()
	for i := 0; i+1 < len(args); i++ {
		if args[i] == "-cpu" {
			args[i+1] += g.cpuFlags
		}
	}
	return args
}
