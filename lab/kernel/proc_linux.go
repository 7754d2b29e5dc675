package kernel

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the kernel kill cmd when this process dies, so a
// killed lkmlab leaves no xz writing into the cache. Only the stream
// filter in bzimage.go still builds its own exec.Cmd; every other command
// runs through lab/command, which does this and more.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
