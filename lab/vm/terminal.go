package vm

import (
	"errors"
	"fmt"
	"io"

	"github.com/hugelgupf/vmtest/qemu"
	"golang.org/x/sys/unix"
)

// An interactive session (lkmlab shell) puts a person's terminal on the
// guest's console: the console is QEMU's stdio, whose input is the pty
// vmtest gives QEMU, and whose output the run splits into lines. The
// person needs the bytes as they come (a prompt ends no line) and a way
// to type.

// RawConsole is a device for Options.Extra: every byte QEMU writes to its
// stdout (the guest console, and QEMU's own messages) also goes to w as
// it comes. The run keeps splitting the console into lines as well.
func RawConsole(w io.Writer) qemu.Fn {
	return qemu.WithSerialOutput(nopCloser{w})
}

// nopCloser keeps vmtest, which closes its serial outputs at the end of
// a run, from closing the person's terminal.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// ConsoleInput returns the guest console's keyboard: what is written to
// it reaches the guest's first serial port. It waits until the guest runs.
//
// QEMU's stdio console keeps the terminal's signal keys (its signal=on
// default), and the pty it reads has no foreground process to signal:
// Ctrl-C, Ctrl-\ and Ctrl-Z would vanish in the host's line discipline.
// ConsoleInput turns that off, so they reach the guest's shell.
func (s *Session) ConsoleInput() (io.Writer, error) {
	if err := s.Running(); err != nil {
		return nil, err
	}
	if s.run == nil || s.run.v == nil || s.run.v.Console == nil {
		return nil, errors.New("console input: the VM has no console")
	}
	// Through SyscallConn: Fd would switch the pty to blocking mode.
	rc, err := s.run.v.Console.Tty().SyscallConn()
	if err != nil {
		return nil, fmt.Errorf("console input: %w", err)
	}
	var terr error
	if err := rc.Control(func(fd uintptr) { terr = noSignalKeys(int(fd)) }); err != nil {
		return nil, fmt.Errorf("console input: %w", err)
	}
	if terr != nil {
		return nil, fmt.Errorf("console input: %w", terr)
	}
	return s.run.v.Console, nil
}

func noSignalKeys(fd int) error {
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return err
	}
	t.Lflag &^= unix.ISIG
	return unix.IoctlSetTermios(fd, unix.TCSETS, t)
}
