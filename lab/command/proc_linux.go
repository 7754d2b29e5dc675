package command

import (
	"os/exec"
	"syscall"

	"golang.org/x/sys/unix"
)

// setProcAttr puts the program in a process group of its own, with the
// parent-death signal and the cgroup Options ask for.
func setProcAttr(cmd *exec.Cmd, o Options) error {
	attr := &syscall.SysProcAttr{Setpgid: true}
	if !o.SurviveParent {
		attr.Pdeathsig = syscall.SIGKILL
	}
	if o.Cgroup != nil {
		attr.UseCgroupFD, attr.CgroupFD = true, int(o.Cgroup.Fd())
	}
	cmd.SysProcAttr = attr
	return nil
}

// startWait returns a channel closed once cmd's process has exited, and
// the func that then reaps it. The channel does not reap (WNOWAIT): as a
// zombie the leader keeps its group id from being reused, so a SIGKILL to
// the group after it exited cannot reach an unrelated process.
func startWait(cmd *exec.Cmd) (<-chan struct{}, func() error) {
	ch := make(chan struct{})
	pid := cmd.Process.Pid
	go func() {
		defer close(ch)
		var info unix.Siginfo
		for {
			err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
			if err != unix.EINTR {
				return
			}
		}
	}()
	return ch, cmd.Wait
}

// killGroup sends SIGKILL to the process group pid leads.
func killGroup(pid int) {
	_ = syscall.Kill(-pid, syscall.SIGKILL)
}
