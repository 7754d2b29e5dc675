// Package kinfo says what a resolved kernel is (its files, release and
// build), and where lkmlab's cache lives, for the packages that only name
// a kernel: the grader's results and reports need no part of lab/kernel's
// fetching and building, nor the libraries that does with.
package kinfo

import (
	"fmt"
	"os"
	"path/filepath"
)

// Kernel is a bootable kernel and the tree modules are built against.
type Kernel struct {
	Name       string // what the user asked for: "debian-6.1", "minimal-6.1" (for the alias "minimal" too), "host", or a path
	Release    string // uname -r of the kernel, e.g. "6.1.0-56-amd64"
	Image      string // file QEMU boots with -kernel: the uncompressed vmlinux (ELF with a PVH note) when available, else the bzImage
	BzImage    string // the compressed image as shipped (what a naive setup boots)
	BuildDir   string // KDIR for `make -C KDIR M=dir modules`
	ModulesDir string // lib/modules/<release> holding the kernel's own .ko files ("" if none)
	Source     string // one line on where it came from, e.g. "debian linux-image-6.1.0-57-amd64 6.1.192-3"
	// Package names the exact build for a report: the Debian image
	// package and version ("linux-image-6.1.0-57-amd64=6.1.192-3"), or a
	// minimal kernel's source package and cache folder; "" for host and
	// path kernels, which BuildID names.
	Package string `json:",omitempty"`
	// BuildID is the GNU build-id of the kernel's vmlinux (hex), "" when
	// no vmlinux is at hand (a bzImage-only path kernel).
	BuildID string `json:",omitempty"`
	// Arch is the kernel's architecture as Go names it ("amd64", "arm64"):
	// which QEMU boots it, which agent runs in it, which compiler builds
	// its modules.
	Arch string `json:",omitempty"`
}

// DefaultCacheDir returns $LKMLAB_CACHE, else $XDG_CACHE_HOME/lkmlab, else
// $HOME/.cache/lkmlab.
func DefaultCacheDir() string {
	if dir := os.Getenv("LKMLAB_CACHE"); dir != "" {
		return dir
	}
	if xdg := os.Getenv("XDG_CACHE_HOME"); filepath.IsAbs(xdg) {
		return filepath.Join(xdg, "lkmlab")
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return filepath.Join(os.TempDir(), fmt.Sprintf("lkmlab-cache-%d", os.Getuid()))
	}
	return filepath.Join(home, ".cache", "lkmlab")
}
