package vm

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Accel is the QEMU accelerator a run uses, and why it was chosen.
type Accel struct {
	Name   string `json:"name"` // "kvm" or "tcg"
	Reason string `json:"reason"`
}

func (a Accel) String() string { return a.Name + " (" + a.Reason + ")" }

// Args are QEMU's arguments for the accelerator.
func (a Accel) Args() []string {
	if a.Name == "kvm" {
		return []string{"-accel", "kvm", "-cpu", "host"}
	}
	return []string{"-accel", "tcg,thread=multi", "-cpu", "max"}
}

// kvmGetAPIVersion is KVM_GET_API_VERSION, _IO(0xAE, 0x00).
const kvmGetAPIVersion = 0xAE00

// ProbeAccel picks KVM only where it works: /dev/kvm alone proves nothing
// (on a PVM nested hypervisor it exists, and a normal kernel hangs on it).
// LKMLAB_ACCEL=tcg|kvm overrides the probe.
func ProbeAccel() Accel {
	if v := os.Getenv("LKMLAB_ACCEL"); v == "kvm" || v == "tcg" {
		return Accel{Name: v, Reason: "set by LKMLAB_ACCEL"}
	}
	tcg := func(why string) Accel {
		return Accel{Name: "tcg", Reason: why + "; using TCG software emulation (slower, correct)"}
	}
	if exists("/sys/module/kvm_pvm") {
		return tcg("/dev/kvm is served by kvm_pvm, a nested PVM hypervisor on which a normal kernel hangs")
	}
	if !exists("/sys/module/kvm_intel") && !exists("/sys/module/kvm_amd") {
		return tcg("neither kvm_intel nor kvm_amd is loaded")
	}
	fd, err := unix.Open("/dev/kvm", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return tcg(fmt.Sprintf("open /dev/kvm: %v (add the user to group kvm, or run as root)", err))
	}
	defer unix.Close(fd)
	v, err := unix.IoctlRetInt(fd, kvmGetAPIVersion)
	if err != nil || v != 12 {
		return tcg(fmt.Sprintf("KVM_GET_API_VERSION gave %d, %v; want 12", v, err))
	}
	return Accel{Name: "kvm", Reason: "kvm_intel or kvm_amd loaded and /dev/kvm answers"}
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
