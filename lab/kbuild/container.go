package kbuild

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// Inside a container (Gradescope's and PrairieLearn's graders run Docker
// with its default seccomp profile) bubblewrap cannot make the namespaces
// it needs. LKMLAB_SANDBOX=container builds there without namespaces: as
// the unprivileged user nobody, with no new privileges, an empty
// environment and the same prlimit bounds. The container is then the
// sandbox: it holds nothing of another student's, and the grader package
// makes the course's own files unreadable to nobody (see
// lab/platform/bundle). What a build can still read is what any user of
// the container can.

// containerMode reports whether builds run in container mode.
func containerMode() bool { return os.Getenv("LKMLAB_SANDBOX") == "container" }

// nobody is the user a container build runs as.
const nobody = 65534

// containerArgs returns the command line that runs a build as nobody in
// work, which it hands to nobody first.
func (s *Sandbox) containerArgs(work string) ([]string, error) {
	if os.Geteuid() != 0 {
		return nil, errors.New("LKMLAB_SANDBOX=container builds as the user nobody and so must run as root (as a container's grader does); elsewhere leave it unset and use bubblewrap")
	}
	abs, err := filepath.Abs(work)
	if err != nil {
		return nil, err
	}
	if err := handTo(abs, nobody); err != nil {
		return nil, fmt.Errorf("sandbox: give the build folder to nobody: %w", err)
	}
	for _, p := range s.ReadOnly { // the kernel tree, which it reads
		if err := reachable(p); err != nil {
			return nil, fmt.Errorf("sandbox: let nobody read the kernel tree: %w", err)
		}
	}
	return []string{"setpriv", "--reuid=" + strconv.Itoa(nobody), "--regid=" + strconv.Itoa(nobody),
		"--clear-groups", "--no-new-privs", "--",
		"env", "-i", "PATH=/usr/bin:/bin", "HOME=/tmp",
		"prlimit", "--cpu=" + strconv.FormatInt(or(s.CPUSeconds, defaultCPU), 10),
		"--fsize=" + strconv.FormatInt(or(s.FileBytes, defaultFileBytes), 10),
		"--as=" + strconv.FormatInt(or(s.MemoryBytes, defaultMemory), 10), "--"}, nil
}

// handTo makes dir and everything under it uid's, and lets uid reach it
// (reachable).
func handTo(dir string, uid int) error {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, uid)
	})
	if err != nil {
		return err
	}
	return reachable(filepath.Dir(dir))
}

// reachable lets other users pass dir and every folder above it.
// A folder others cannot pass (lkmlab's own temporary folders are 0700,
// a home folder) gets o+x (pass, not list) when it is this user's; one of
// another user's is an error that says what to do.
func reachable(dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	for p := dir; ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o001 == 0 {
			st, ok := fi.Sys().(*syscall.Stat_t)
			if !ok || int(st.Uid) != os.Geteuid() {
				return fmt.Errorf("%s does not let other users pass (mode %v): grade into a folder the user nobody can reach (chmod o+x)", p, fi.Mode().Perm())
			}
			if err := os.Chmod(p, fi.Mode().Perm()|0o001); err != nil {
				return err
			}
		}
		if p == "/" {
			return nil
		}
	}
}
