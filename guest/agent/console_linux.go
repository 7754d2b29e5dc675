package agent

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/lkmlab/lkmlab/lab/plan"
	"golang.org/x/sys/unix"
)

// tty is the guest's console terminal, opened for a shell session.
type tty struct{ f *os.File }

// openTTY opens the terminal the kernel's console is on (ttyS0 on a PC):
// /dev/console itself can never be a controlling terminal, and without
// one Ctrl-C would reach nobody. It opens without blocking for a carrier
// (CLOCAL), in the usual cooked mode: the guest's line discipline edits
// lines and turns Ctrl-C and Ctrl-D into a signal and an end of file.
func openTTY() (Console, error) {
	dev := "/dev/" + activeConsole()
	fd, err := unix.Open(dev, unix.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open console %s: %w", dev, err)
	}
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err == nil {
		t.Cflag |= unix.CLOCAL | unix.CREAD
		t.Lflag |= unix.ICANON | unix.ECHO | unix.ECHOE | unix.ECHOK | unix.ISIG | unix.IEXTEN
		t.Iflag |= unix.ICRNL
		t.Oflag |= unix.OPOST | unix.ONLCR
		err = unix.IoctlSetTermios(fd, unix.TCSETS, t)
	}
	if err == nil {
		err = unix.SetNonblock(fd, false) // the shell reads it blocking
	}
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("set up console %s: %w", dev, err)
	}
	return &tty{f: os.NewFile(uintptr(fd), dev)}, nil
}

// activeConsole is the kernel console's terminal, from sysfs: the last
// one listed is /dev/console's.
func activeConsole() string {
	b, err := os.ReadFile("/sys/class/tty/console/active")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[len(f)-1]
	}
	return "ttyS0"
}

func (t *tty) Write(p []byte) (int, error) { return t.f.Write(p) }

// Shell links the commands and runs the shell in /lkm.
func (t *tty) Shell(cfg *plan.Shell) error {
	if err := linkCommands(cfg); err != nil {
		return err
	}
	if cfg.Rows > 0 && cfg.Cols > 0 {
		_ = unix.IoctlSetWinsize(int(t.f.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: uint16(cfg.Rows), Col: uint16(cfg.Cols)})
	}
	bin := filepath.Dir(cfg.Busybox)
	cmd := exec.Command(filepath.Join(bin, cfg.Shell))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = t.f, t.f, t.f
	cmd.Dir = plan.FilesDir
	term := cfg.Term
	if term == "" {
		term = "vt100"
	}
	cmd.Env = []string{"PATH=" + bin + ":/bin:/sbin", "HOME=/", "TERM=" + term, "PWD=" + plan.FilesDir}
	// A session of its own, led by the shell, with the console as its
	// controlling terminal (Ctty: the child's stdin).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return nil // the shell's own status: the person's last command
	}
	return err
}

// linkCommands makes every command of the busybox, and `lab`, a name in
// the busybox's folder. (No sh: the busybox answers to the names it was
// built with only, and its shell is gosh.)
func linkCommands(cfg *plan.Shell) error {
	if _, err := os.Stat(cfg.Busybox); err != nil {
		return fmt.Errorf("this guest has no u-root commands (%w)", err)
	}
	bin, bb := filepath.Dir(cfg.Busybox), filepath.Base(cfg.Busybox)
	self, err := os.Executable()
	if err != nil {
		self = "/init"
	}
	links := map[string]string{"lab": self}
	for _, c := range cfg.Commands {
		links[c] = bb
	}
	for name, target := range links {
		if name == "" || strings.Contains(name, "/") {
			continue
		}
		if err := os.Symlink(target, filepath.Join(bin, name)); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("link %s: %w", name, err)
		}
	}
	return nil
}
