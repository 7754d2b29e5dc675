package agent

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/lkmlab/lkmlab/lab/plan"
)

func init() { sweepFaults = linuxFaults{} }

// debugfs is where the fault-injection knobs live.
const debugfs = "/sys/kernel/debug"

// linuxFaults injects allocation failures through /proc/thread-self/fail-nth
// (CONFIG_FAULT_INJECTION), which failslab (kmalloc and slab caches)
// consults.
type linuxFaults struct{}

// Available reports whether failslab's knobs are in debugfs, mounting it
// when it is not yet.
func (linuxFaults) Available() error {
	knob := filepath.Join(debugfs, "failslab")
	if _, err := os.Stat(knob); err != nil {
		_ = unix.Mount("debugfs", debugfs, "debugfs", 0, "")
	}
	if _, err := os.Stat(knob); err != nil {
		return errors.New("this kernel has no fault injection (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS): sweeps need minimal-debug")
	}
	if _, err := os.Stat("/proc/self/fail-nth"); err != nil {
		return errors.New("this kernel has no /proc/PID/fail-nth (CONFIG_FAULT_INJECTION): sweeps need minimal-debug")
	}
	return nil
}

// sweepKnobs are the knobs a sweep sets: failslab (kmalloc up to 8 KiB
// and slab caches) counts allocations that may sleep too (by default only
// atomic ones fail), and prints every injected failure with its stack,
// not ten every five seconds. fail_page_alloc is left as it is (it fails
// nothing unless asked): how many pages a load allocates varies from one
// load to the next (KASAN maps shadow pages for a vmalloc area only the
// first time), which would shift which allocation the n-th is.
var sweepKnobs = map[string]string{
	"failslab/ignore-gfp-wait":         "N",
	"failslab/verbose":                 "2",
	"failslab/verbose_ratelimit_burst": "1000000",
}

// Arm writes sweepKnobs, keeping the old values for restore.
func (linuxFaults) Arm() (func(), error) {
	old := map[string]string{}
	restore := func() {
		for k, v := range old {
			_ = os.WriteFile(filepath.Join(debugfs, k), []byte(v), 0)
		}
	}
	for k, v := range sweepKnobs {
		p := filepath.Join(debugfs, k)
		b, err := os.ReadFile(p)
		if err == nil {
			old[k] = strings.TrimSpace(string(b))
			err = os.WriteFile(p, []byte(v), 0)
		}
		if err != nil {
			restore()
			return nil, fmt.Errorf("set %s: %w", k, err)
		}
	}
	return restore, nil
}

// Try runs "SELF sweep N PATH PARAMS" (SweepMain), waits for it as
// RunStep waits for a step, and reads where the kernel says the failure
// it injected happened.
func (linuxFaults) Try(s plan.Step, n int, timeout time.Duration, poll func() bool) try {
	log := openKmsgTail()
	defer log.close()
	t := runSweepChild(s, n, timeout, poll)
	if t.Injected {
		t.Where = classify(log.texts())
	}
	return t
}

// runSweepChild runs one load in a child process.
func runSweepChild(s plan.Step, n int, timeout time.Duration, poll func() bool) try {
	self, err := os.Executable()
	if err != nil {
		self = "/init"
	}
	cmd := exec.Command(self, "sweep", strconv.Itoa(n), s.Path, s.Params)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		return try{Result: Result{Status: plan.Failed, Error: fmt.Sprintf("start sweep process: %v", err)}}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.After(timeout)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			t := try{Result: resultOf(cmd.ProcessState, err, strings.TrimSpace(stderr.String()))}
			left, err := strconv.Atoi(strings.TrimSpace(stdout.String()))
			switch {
			case err != nil || n == 0:
			case left == 0:
				t.Injected = true
			default:
				t.Allocations = n - left
			}
			return t
		case <-tick.C:
			if poll() {
				_ = cmd.Process.Kill()
				return try{Result: Result{Status: plan.Killed, Error: "the kernel killed the loading thread (oops); sweep process ended"}, Injected: n > 0}
			}
		case <-deadline:
			_ = cmd.Process.Kill()
			return try{Result: Result{Status: plan.Hung, Error: fmt.Sprintf("insmod did not return within %v", timeout)}, Injected: n > 0}
		}
	}
}

// SweepMain is the child side of Try: it loads PATH with PARAMS with the
// N-th allocation of the load failing (none for 0), prints what was left
// of N afterwards (0: the failure was injected; more: the load made N
// minus that many allocations), and exits with 0 or the load's errno.
func SweepMain(args []string) int {
	runtime.LockOSThread() // fail-nth belongs to this thread
	if len(args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: sweep N PATH [PARAMS]")
		return int(unix.EINVAL)
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 0 {
		fmt.Fprintf(os.Stderr, "sweep: N must be a number, 0 or more, not %q\n", args[0])
		return int(unix.EINVAL)
	}
	params := ""
	if len(args) > 2 {
		params = args[2]
	}
	left, errno := loadFailingNth(args[1], params, n)
	fmt.Println(left)
	if errno != 0 {
		fmt.Fprintln(os.Stderr, errno)
		return int(errno)
	}
	return 0
}

// loadFailingNth loads path with the n-th allocation failing and returns
// what is left of n. Every file is opened and every argument prepared
// first: from the write to fail-nth on, each allocation this thread makes
// counts, so nothing but the load runs until it is read back (the read
// allocates nothing).
func loadFailingNth(path, params string, n int) (left int, errno unix.Errno) {
	f, err := os.Open(path)
	if err != nil {
		return -1, errnoOf(err)
	}
	defer f.Close()
	nth, err := os.OpenFile("/proc/thread-self/fail-nth", os.O_RDWR, 0)
	if err != nil {
		return -1, errnoOf(err)
	}
	defer nth.Close()
	p, err := unix.BytePtrFromString(params)
	if err != nil {
		return -1, unix.EINVAL
	}
	fd, nfd := f.Fd(), int(nth.Fd())
	num, buf := []byte(strconv.Itoa(n)), make([]byte, 32)
	if _, err := unix.Pwrite(nfd, num, 0); err != nil {
		return -1, errnoOf(err)
	}
	_, _, errno = unix.Syscall(unix.SYS_FINIT_MODULE, fd, uintptr(unsafe.Pointer(p)), 0)
	k, rerr := unix.Pread(nfd, buf, 0)
	_, _ = unix.Pwrite(nfd, []byte("0"), 0)
	left, perr := strconv.Atoi(strings.TrimSpace(string(buf[:max(k, 0)])))
	if rerr != nil || perr != nil {
		return -1, errno
	}
	return left, errno
}

// errnoOf is err's errno, EIO when it has none.
func errnoOf(err error) unix.Errno {
	var e unix.Errno
	if errors.As(err, &e) {
		return e
	}
	return unix.EIO
}
