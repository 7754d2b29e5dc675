// Package setup knows what the host must have for each thing lkmlab does
// -> the programs a command lacks, with the exact command that installs
// them; Install (lkmlab setup) runs that command, nothing else does.
package setup

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"

	"github.com/lkmlab/lkmlab/lab/kernel"
)

// Purpose is one thing the host may be asked to do.
type Purpose string

// The purposes, in the order setup lists them.
const (
	Boot         Purpose = "boot"          // run the test VM (QEMU)
	Fetch        Purpose = "fetch"         // download and unpack Debian's kernels
	BuildModules Purpose = "build-modules" // compile modules against a kernel tree
	BuildKernel  Purpose = "build-kernel"  // compile the minimal kernels from source
	Grade        Purpose = "grade"         // confine student builds (bubblewrap, prlimit)
	Debug        Purpose = "debug"         // gdb on a guest's kernel and module (lkmlab debug)
	Arm64        Purpose = "arm64"         // boot arm64 guests and cross-build their modules
	Test         Purpose = "test"          // this repository's own tests
)

// Purposes lists every purpose.
var Purposes = []Purpose{Boot, Fetch, BuildModules, BuildKernel, Grade, Debug, Arm64, Test}

// Default is what `lkmlab setup` installs when not told: everything lkmlab's
// commands use on this machine's architecture, not arm64 guests nor what
// only this repository's tests use.
var Default = []Purpose{Boot, Fetch, BuildModules, BuildKernel, Grade, Debug}

// Need is a host file or program, the Debian package that provides it, and
// the purposes it serves.
type Need struct {
	Path    string // a program name (looked up in PATH) or an absolute file
	Package string
	Why     string
	For     []Purpose
}

// Needs are what lkmlab runs on the host, by purpose.
var Needs = []Need{
	{"qemu-system-x86_64", "qemu-system-x86", "runs the test VM", []Purpose{Boot}},
	{"make", "make", "drives Kbuild", []Purpose{BuildModules, BuildKernel}},
	{"gcc-12", "gcc-12", "the compiler Debian's 6.1 and 6.12 kernels were built with", []Purpose{BuildModules}},
	{"/usr/lib/x86_64-linux-gnu/libelf.so.1", "libelf1", "objtool, run by Kbuild", []Purpose{BuildModules}},
	{"xz", "xz-utils", "unpacks the kernel image", []Purpose{Fetch, BuildKernel}},
	{"dpkg-deb", "dpkg", "unpacks kernel packages", []Purpose{Fetch, BuildKernel}},
	{"apt-get", "apt", "downloads kernel packages", []Purpose{Fetch, BuildKernel}},
	{"/usr/share/keyrings/debian-archive-keyring.gpg", "debian-archive-keyring", "verifies kernel packages", []Purpose{Fetch, BuildKernel}},
	{"gcc", "gcc", "builds the minimal kernels and their modules", []Purpose{BuildKernel}},
	{"flex", "flex", "builds the minimal kernels", []Purpose{BuildKernel}},
	{"bison", "bison", "builds the minimal kernels", []Purpose{BuildKernel}},
	{"bc", "bc", "builds the minimal kernels", []Purpose{BuildKernel}},
	{"/usr/include/gelf.h", "libelf-dev", "builds the minimal kernels (objtool)", []Purpose{BuildKernel}},
	{"bwrap", "bubblewrap", "confines the build of student code (lkmlab grade)", []Purpose{Grade}},
	{"prlimit", "util-linux", "bounds the build's memory and time (lkmlab grade)", []Purpose{Grade}},
	{"perl", "perl", "runs the kernel's checkpatch.pl (style points in lkmlab grade)", []Purpose{Grade}},
	{"gdb", "gdb", "debugs a module in the guest (lkmlab debug)", []Purpose{Debug, Test}},
	{"qemu-system-aarch64", "qemu-system-arm", "runs arm64 guests", []Purpose{Arm64}},
	{"aarch64-linux-gnu-gcc-12", "gcc-12-aarch64-linux-gnu", "cross-builds modules for Debian's arm64 kernels", []Purpose{Arm64}},
	{"tmux", "tmux", "drives lkmlab shell in a terminal in lkmlab's own tests", []Purpose{Test}},
	{"xmllint", "libxml2-utils", "validates JUnit reports in lkmlab's own tests", []Purpose{Test}},
	{"chromium", "chromium", "opens the class overview headless in lkmlab's own tests", []Purpose{Test}},
}

// ParsePurpose reads a purpose name.
func ParsePurpose(s string) (Purpose, error) {
	for _, p := range Purposes {
		if string(p) == s {
			return p, nil
		}
	}
	return "", fmt.Errorf("unknown purpose %q: want one of %s", s, joinPurposes(Purposes))
}

// For returns the needs that serve any of purposes, in Needs order.
func For(purposes ...Purpose) []Need {
	var out []Need
	for _, n := range Needs {
		for _, p := range n.For {
			if slices.Contains(purposes, p) {
				out = append(out, n)
				break
			}
		}
	}
	return out
}

// ForCommand returns the purposes of an lkmlab command ("check", "build",
// "grade", "bench", "kernel") on the named kernel: booting, building
// modules, and getting the kernel: a Debian kernel needs fetching only when
// it is not cached; a minimal kernel always needs BuildKernel, whose gcc
// also compiles its modules (the tools were there when it was built here).
func ForCommand(command, kernelName string, opts kernel.Options) []Purpose {
	var ps []Purpose
	switch command {
	case "check", "bench", "shell":
		ps = []Purpose{Boot, BuildModules}
	case "debug":
		ps = []Purpose{Boot, BuildModules, Debug}
	case "grade":
		ps = []Purpose{Boot, BuildModules, Grade}
	case "build":
		ps = []Purpose{BuildModules}
	}
	if strings.HasSuffix(kernelName, "-"+kernel.ARM64) {
		ps = append(ps, Arm64)
	}
	switch kernel.KindOf(kernelName) {
	case kernel.Debian:
		if !kernel.Cached(kernelName, opts) {
			ps = append(ps, Fetch)
		}
	case kernel.Minimal:
		ps = append(ps, BuildKernel)
	}
	return ps
}

// Missing returns the packages whose files are absent, without duplicates.
func Missing(needs []Need) []string {
	var pkgs []string
	for _, n := range needs {
		if !present(n.Path) && !slices.Contains(pkgs, n.Package) {
			pkgs = append(pkgs, n.Package)
		}
	}
	return pkgs
}

func present(p string) bool {
	if strings.HasPrefix(p, "/") {
		_, err := os.Stat(p)
		return err == nil
	}
	_, err := exec.LookPath(p)
	return err == nil
}

// MissingError lists what a command needs and the host lacks.
type MissingError struct {
	What     string    // e.g. "lkmlab check --kernel debian-6.1"
	Purposes []Purpose // what it needs the host for
	Needs    []Need    // the absent ones
}

func (e *MissingError) Error() string {
	var lines []string
	for _, n := range e.Needs {
		lines = append(lines, fmt.Sprintf("  %s (package %s): %s", n.Path, n.Package, n.Why))
	}
	pkgs := Missing(e.Needs)
	return fmt.Sprintf("%s needs what this host lacks:\n%s\ninstall it with: sudo apt-get install %s\n(or run: lkmlab setup --for %s)",
		e.What, strings.Join(lines, "\n"), strings.Join(pkgs, " "), joinPurposes(e.Purposes))
}

// Check returns a *MissingError naming what purposes need and the host
// lacks, or nil. It installs nothing.
func Check(what string, purposes ...Purpose) error {
	var absent []Need
	for _, n := range For(purposes...) {
		if !present(n.Path) {
			absent = append(absent, n)
		}
	}
	if len(absent) == 0 {
		return nil
	}
	return &MissingError{What: what, Purposes: purposes, Needs: absent}
}

// CheckCommand is Check for an lkmlab command on a kernel (see
// ForCommand); for grade it also checks that the sandbox can start (see
// UserNamespaces).
func CheckCommand(command, kernelName string, opts kernel.Options) error {
	what := "lkmlab " + command
	if kernelName != "" {
		what += " --kernel " + kernelName
	}
	ps := ForCommand(command, kernelName, opts)
	if err := Check(what, ps...); err != nil {
		return err
	}
	if slices.Contains(ps, Grade) {
		return UserNamespaces()
	}
	return nil
}

func joinPurposes(ps []Purpose) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	return strings.Join(s, ",")
}
