package agent

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// A tree child in uninterruptible sleep (state D), for as long as the tree
// lives: user space cannot ask for that state, but a process that vforks
// waits in it (killable) until its new process execs or exits. The child
// vforks once its parent traces it with PTRACE_O_TRACEVFORK, and the new
// process is then stopped by its tracer before it runs any code of its
// own, so it never does. It is made the tree's child too (CLONE_PARENT):
// a stopped child of the tree ("t" in /proc), killed and reaped with the
// others. A module that lists every task not sleeping interruptibly or
// stopped (the hostile2 corpus's running-idle) lists the child in D.

// heldWithin bounds each side's wait for the other.
const heldWithin = 10 * time.Second

// blockInVfork is the child's side. It never returns when it works, so it
// prints the child's facts itself first; an error says why it could not
// block.
func blockInVfork() error {
	if err := json.NewEncoder(os.Stdout).Encode(map[string]string{"pid": strconv.Itoa(os.Getpid())}); err != nil {
		return err
	}
	if err := awaitTracer(heldWithin); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		self = "/init"
	}
	// On the main thread (main locks it): the thread group leader, whose
	// state /proc and for_each_process show, is the one that waits.
	_, err = syscall.ForkExec(self, []string{self, "workload", treeChild, argsOnStdin},
		&syscall.ProcAttr{Files: []uintptr{0, 1, 2}, Sys: &syscall.SysProcAttr{Cloneflags: unix.CLONE_PARENT}})
	return fmt.Errorf("vfork returned (%v): the parent did not hold the new process", err)
}

// awaitTracer waits until this process has a tracer.
func awaitTracer(timeout time.Duration) error {
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if pid, err := tracerPid(); err != nil || pid != 0 {
			return err
		}
	}
	return fmt.Errorf("no tracer within %v", timeout)
}

// tracerPid reads TracerPid from /proc/self/status.
func tracerPid() (int, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "TracerPid:"); ok {
			return strconv.Atoi(strings.TrimSpace(v))
		}
	}
	return 0, errors.New("no TracerPid in /proc/self/status")
}

// holdInVfork is the parent's side: it traces child pid, lets it run to
// its vfork and returns the pid of the process the vfork made, which
// stays stopped. The tracer is this thread: run it on one that lives as
// long as the tree (the main thread).
func holdInVfork(pid int, timeout time.Duration) (int, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if _, _, e := unix.Syscall6(unix.SYS_PTRACE, unix.PTRACE_SEIZE, uintptr(pid), 0, unix.PTRACE_O_TRACEVFORK, 0, 0); e != 0 {
		return 0, fmt.Errorf("trace child %d: %w", pid, e)
	}
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); {
		var ws unix.WaitStatus
		got, err := unix.Wait4(pid, &ws, unix.WALL|unix.WNOHANG, nil)
		switch {
		case err == unix.EINTR || err == nil && got == 0:
			time.Sleep(5 * time.Millisecond)
		case err != nil:
			return 0, fmt.Errorf("wait for child %d: %w", pid, err)
		case !ws.Stopped():
			return 0, fmt.Errorf("child %d ended before it vforked (wait status %#x)", pid, uint32(ws))
		case ws.TrapCause() == unix.PTRACE_EVENT_VFORK:
			held, err := unix.PtraceGetEventMsg(pid)
			if err != nil {
				return 0, fmt.Errorf("read the pid child %d vforked: %w", pid, err)
			}
			return int(held), unix.PtraceCont(pid, 0)
		case int(ws>>16) == unix.PTRACE_EVENT_STOP:
			_ = unix.PtraceCont(pid, 0)
		default:
			// A signal on its way to the child (its Go runtime's own):
			// deliver it.
			_ = unix.PtraceCont(pid, int(ws.StopSignal()))
		}
	}
	return 0, fmt.Errorf("child %d did not vfork within %v", pid, timeout)
}
