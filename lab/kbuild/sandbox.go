package kbuild

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// Sandbox confines a build of untrusted sources with bubblewrap: the build
// sees /usr read-only (the compiler), the kernel tree read-only, its own
// work folder and an empty /tmp; no /etc, no home, no network, no other
// process; and prlimit bounds its memory, CPU time and file sizes.
type Sandbox struct {
	// ReadOnly are host paths the build may read: the kernel tree.
	ReadOnly []string
	// MemoryBytes, CPUSeconds and FileBytes bound the build; zero means
	// 2 GiB, 120 s and 64 MiB.
	MemoryBytes, CPUSeconds, FileBytes int64
}

// ErrNoBubblewrap says how to get the sandbox.
var ErrNoBubblewrap = fmt.Errorf("bwrap not found: apt-get install bubblewrap (student code is only built inside it)")

// wrap returns the command line that runs argv inside the sandbox with
// work writable.
func (s *Sandbox) wrap(work string, argv []string) ([]string, error) {
	if _, err := exec.LookPath("bwrap"); err != nil {
		return nil, ErrNoBubblewrap
	}
	if _, err := exec.LookPath("prlimit"); err != nil {
		return nil, fmt.Errorf("prlimit not found: apt-get install util-linux")
	}
	// Mounts apply in order: the empty /tmp first, so that a work folder
	// or kernel tree under /tmp is bound over it rather than hidden.
	args := []string{"bwrap", "--tmpfs", "/tmp", "--ro-bind", "/usr", "/usr"}
	for _, l := range []string{"bin", "sbin", "lib", "lib64"} {
		if t, err := os.Readlink("/" + l); err == nil {
			args = append(args, "--symlink", t, "/"+l)
		} else if _, err := os.Stat("/" + l); err == nil {
			args = append(args, "--ro-bind", "/"+l, "/"+l)
		}
	}
	// Debian resolves awk, cc and friends through /etc/alternatives: a
	// folder of symbolic links, the only part of /etc the build sees.
	if _, err := os.Stat("/etc/alternatives"); err == nil {
		args = append(args, "--ro-bind", "/etc/alternatives", "/etc/alternatives")
	}
	for _, p := range s.ReadOnly {
		args = append(args, "--ro-bind", p, p)
	}
	abs, err := filepath.Abs(work)
	if err != nil {
		return nil, err
	}
	args = append(args, "--bind", abs, abs, "--proc", "/proc", "--dev", "/dev",
		"--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
		"--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp", "--chdir", abs, "--",
		"prlimit", "--as="+strconv.FormatInt(or(s.MemoryBytes, 2<<30), 10),
		"--cpu="+strconv.FormatInt(or(s.CPUSeconds, 120), 10),
		"--fsize="+strconv.FormatInt(or(s.FileBytes, 64<<20), 10), "--")
	return append(args, argv...), nil
}

func or(v, def int64) int64 {
	if v > 0 {
		return v
	}
	return def
}
