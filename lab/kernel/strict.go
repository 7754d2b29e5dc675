package kernel

import (
	"fmt"
	"os"
)

// StrictEnv set to 1 makes every Resolve strict (see Options.Strict): for a
// course that must grade every student on one exact kernel.
const StrictEnv = "LKMLAB_STRICT_KERNEL"

// PinError means a pinned package is gone from Debian's archive and strict
// pins forbid using the newer one that replaced it.
type PinError struct {
	Kernel string // the kernel asked for, e.g. "debian-6.1", or "minimal-5.10" for its source
	Pinned string // the pinned package and version
	Newest string // what a non-strict run uses instead; "" when unknown
	Pin    string // the entry of pinFile to update, e.g. `debianPins["debian-6.1"]`
	Fix    string // its new values, e.g. `ABI "6.1.0-58", Version "6.1.200-1"`
}

func (e *PinError) Error() string {
	newest := ""
	if e.Newest != "" {
		newest = " (the archive has " + e.Newest + ")"
	}
	return fmt.Sprintf("kernel %s: Debian no longer offers the pinned %s%s, and strict pins (%s=1 or --strict-kernel) forbid a newer one: "+
		"update %s in %s to %s and rebuild lkmlab; or point LKMLAB_DEBIAN_MIRROR at a snapshot.debian.org date that still has it; or drop strict pins",
		e.Kernel, e.Pinned, newest, StrictEnv, e.Pin, pinFile, e.Fix)
}

// strictFromEnv reports whether $LKMLAB_STRICT_KERNEL asks for strict pins.
func strictFromEnv() bool { return os.Getenv(StrictEnv) == "1" }

// debianPinError describes pin replaced by alt (alt may equal pin when the
// replacement is unknown).
func debianPinError(name string, pin, alt debianPin) *PinError {
	e := &PinError{Kernel: name, Pinned: pin.imagePackage() + " " + pin.Version,
		Pin: fmt.Sprintf("debianPins[%q]", name), Fix: "the newest ABI and Version of the series"}
	if alt != pin {
		e.Newest = alt.imagePackage() + " " + alt.Version
		e.Fix = fmt.Sprintf("ABI %q, Version %q", alt.ABI, alt.Version)
	}
	return e
}
