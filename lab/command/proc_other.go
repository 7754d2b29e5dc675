//go:build !linux

package command

import (
	"errors"
	"os/exec"
	"syscall"
)

// setProcAttr puts the program in a process group of its own. Other
// systems have no parent-death signal and no cgroups.
func setProcAttr(cmd *exec.Cmd, o Options) error {
	if o.Cgroup != nil {
		return errors.New("cgroups need Linux")
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return nil
}

// startWait reaps cmd in the background: without waitid(WNOWAIT) the
// group is swept after the leader is reaped, a best effort.
func startWait(cmd *exec.Cmd) (<-chan struct{}, func() error) {
	ch := make(chan struct{})
	var err error
	go func() {
		err = cmd.Wait()
		close(ch)
	}()
	return ch, func() error { <-ch; return err }
}

// killGroup sends SIGKILL to the process group pid leads.
func killGroup(pid int) {
	_ = syscall.Kill(-pid, syscall.SIGKILL)
}
