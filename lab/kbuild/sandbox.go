package kbuild

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lkmlab/lkmlab/lab/command"
)

// Sandbox confines a build of untrusted sources with bubblewrap: the build
// sees /usr read-only (the compiler), the kernel tree read-only, its own
// work folder and an empty /tmp; no /etc, no home, no network, no other
// process, a fresh /proc and an empty environment. Memory and processes are
// bounded for a whole group of builds by a cgroup where the host lets
// lkmlab make one, and per process by prlimit where it does not; CPU time
// and file sizes are bounded per process (prlimit).
type Sandbox struct {
	// ReadOnly are host paths the build may read: the kernel tree.
	ReadOnly []string
	// MemoryBytes, CPUSeconds and FileBytes bound the build; zero means
	// 2 GiB, 120 s and 64 MiB. MemoryBytes holds for the whole group
	// where there is a cgroup, for each process otherwise.
	MemoryBytes, CPUSeconds, FileBytes int64
	// Processes bounds how many processes the group may hold at once;
	// zero means 256. It needs a cgroup.
	Processes int64
	// Group names the cgroup builds run in: builds with the same Group
	// that run at the same time share one memory and process limit, so a
	// grader gives each student one. "" gives every build its own group.
	Group string
	// CgroupParent is a cgroup v2 folder lkmlab may create groups in (a
	// delegated subtree offering the memory and pids controllers); ""
	// looks for one (see cgroup.go).
	CgroupParent string
}

// ErrNoBubblewrap says how to get the sandbox.
var ErrNoBubblewrap = errors.New("bwrap not found: apt-get install bubblewrap (student code is only built inside it)")

// Defaults of the Sandbox limits.
const (
	defaultMemory    = 2 << 30
	defaultCPU       = 120
	defaultFileBytes = 64 << 20
	defaultProcesses = 256
)

// fallbackNote makes the note about per-process limits appear once per
// process, not once per student.
var fallbackNote sync.Once

// sandboxRun is one build in the sandbox: the command line to run and the
// cgroup it runs in (nil: per-process limits only).
type sandboxRun struct {
	s      *Sandbox
	argv   []string
	group  *group
	before usage
}

// start prepares a run of argv inside the sandbox with work writable. The
// caller runs it with options(...) and closes it.
func (s *Sandbox) start(work string, argv []string, logf func(string, ...any)) (*sandboxRun, error) {
	if containerMode() {
		args, err := s.containerArgs(work)
		if err != nil {
			return nil, err
		}
		return &sandboxRun{s: s, argv: append(args, argv...)}, nil
	}
	for _, tool := range [][2]string{{"bwrap", ""}, {"prlimit", "util-linux"}} {
		if _, err := exec.LookPath(tool[0]); err != nil {
			if tool[1] == "" {
				return nil, ErrNoBubblewrap
			}
			return nil, fmt.Errorf("%s not found: apt-get install %s", tool[0], tool[1])
		}
	}
	r := &sandboxRun{s: s}
	g, why := acquireGroup(s)
	if g == nil {
		fallbackNote.Do(func() {
			logf("kbuild: no cgroup for whole-build limits (%s); each compiler process gets its own %d MiB memory limit (prlimit) and there is no process limit",
				why, or(s.MemoryBytes, defaultMemory)>>20)
		})
	} else {
		r.group, r.before = g, g.usage()
	}
	args, err := s.bwrapArgs(work, g != nil)
	if err != nil {
		r.close()
		return nil, err
	}
	r.argv = append(args, argv...)
	return r, nil
}

// options sets what the sandbox needs of a run: bwrap starts with an
// empty environment (its own PID 1 in the sandbox keeps bwrap's, which
// /proc/1/environ shows), in "/" rather than the grader's folder, and
// inside the group.
func (r *sandboxRun) options(o command.Options) command.Options {
	o.Env, o.Dir = []string{}, "/"
	switch {
	case r.group == nil:
	case r.group.fd != nil:
		o.Cgroup = r.group.fd
	default:
		o.BeforeExec = r.group.place
	}
	return o
}

// stopped names the group limit the run went over, or "".
func (r *sandboxRun) stopped() string {
	if r.group == nil {
		return ""
	}
	after := r.group.usage()
	switch {
	case after.oomKills > r.before.oomKills:
		return fmt.Sprintf("the memory limit (%d MiB for this student's builds together)", or(r.s.MemoryBytes, defaultMemory)>>20)
	case after.pidsMax > r.before.pidsMax:
		return fmt.Sprintf("the process limit (%d processes)", or(r.s.Processes, defaultProcesses))
	}
	return ""
}

func (r *sandboxRun) close() {
	if r.group != nil {
		releaseGroup(r.group)
		r.group = nil
	}
}

// bwrapArgs returns the bwrap and prlimit command line that runs a command
// inside the sandbox with work writable; the command follows it.
func (s *Sandbox) bwrapArgs(work string, grouped bool) ([]string, error) {
	// Mounts apply in order: the empty /tmp first, so that a work folder
	// or kernel tree under /tmp is bound over it rather than hidden.
	args := []string{"bwrap"}
	if bwrapHasSize() { // bounds /tmp, which is memory; bwrap 0.7 and later
		args = append(args, "--size", strconv.FormatInt(or(s.FileBytes, defaultFileBytes), 10))
	}
	args = append(args, "--tmpfs", "/tmp", "--ro-bind", "/usr", "/usr")
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
	// No /proc at all: a compiler, make and the kernel's build scripts
	// need none, and a fresh /proc is the host's kernel (its command
	// line and configuration, its PCI devices, memory and CPUs): a
	// source can .incbin any file there into the module and print it,
	// and __has_include probes which exist. --unshare-pid keeps the
	// build from signalling anything outside it.
	args = append(args, "--bind", abs, abs)
	args = append(args, "--dev", "/dev",
		"--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
		"--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp", "--chdir", abs, "--",
		"prlimit", "--cpu="+strconv.FormatInt(or(s.CPUSeconds, defaultCPU), 10),
		"--fsize="+strconv.FormatInt(or(s.FileBytes, defaultFileBytes), 10))
	if !grouped {
		args = append(args, "--as="+strconv.FormatInt(or(s.MemoryBytes, defaultMemory), 10))
	}
	return append(args, "--"), nil
}

// bwrapHasSize reports whether bwrap knows --size, asking it once.
var bwrapHasSize = sync.OnceValue(func() bool {
	out, _ := command.Run(context.Background(), []string{"bwrap", "--help"}, command.Options{Timeout: 10 * time.Second})
	return strings.Contains(string(out), "--size")
})

func or(v, def int64) int64 {
	if v > 0 {
		return v
	}
	return def
}
