package agent

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/lkmlab/lkmlab/lab/kmsg"
	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/u-root/u-root/pkg/kmodule"
	"golang.org/x/sys/unix"
)

// Linux is the Sys of a real guest: it must run as /init.
type Linux struct {
	kmsg    int
	lastSeq uint64
	haveSeq bool
}

// Setup mounts the filesystems the agent reads, makes every later kernel
// message reach the console (so that what a module prints before a panic
// still reaches the host), and opens the kernel log at its end, so no
// boot message is taken for a step's.
func Setup() (*Linux, error) {
	mounts := []struct{ src, dst, fs string }{
		{"proc", "/proc", "proc"}, {"sysfs", "/sys", "sysfs"},
		{"devtmpfs", "/dev", "devtmpfs"}, {"tmpfs", "/tmp", "tmpfs"},
	}
	for _, m := range mounts {
		_ = os.MkdirAll(m.dst, 0o755)
		if err := unix.Mount(m.src, m.dst, m.fs, 0, ""); err != nil && !errors.Is(err, unix.EBUSY) {
			return nil, fmt.Errorf("mount %s: %w", m.dst, err)
		}
	}
	_ = os.WriteFile("/proc/sys/kernel/printk", []byte("8"), 0)
	// The map workload locks its pages and reports their frames: memory
	// compaction may otherwise move a locked page (it does by default)
	// between the report and the module's walk.
	_ = os.WriteFile("/proc/sys/vm/compact_unevictable_allowed", []byte("0"), 0)
	fd, err := unix.Open("/dev/kmsg", unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open /dev/kmsg: %w", err)
	}
	return &Linux{kmsg: fd}, nil
}

// OpenChannel opens the serial port to the host in raw mode. The open is
// non-blocking and the line set CLOCAL: a serial port's default termios
// lacks CLOCAL, and a blocking open would wait for carrier detect.
func OpenChannel(dev string) (*os.File, error) {
	// A channel whose driver was just loaded (a virtio console) appears
	// once its device is probed.
	var f *os.File
	var err error
	for deadline := time.Now().Add(channelWait); ; time.Sleep(10 * time.Millisecond) {
		f, err = os.OpenFile(dev, os.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK, 0)
		if err == nil || !errors.Is(err, os.ErrNotExist) && !errors.Is(err, unix.ENXIO) && !errors.Is(err, unix.ENODEV) || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open channel %s: %w", dev, err)
	}
	t, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	if err != nil {
		return nil, fmt.Errorf("get termios %s: %w", dev, err)
	}
	// cfmakeraw: no echo, no line editing, no \n -> \r\n translation.
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8 | unix.CLOCAL
	if err := unix.IoctlSetTermios(int(f.Fd()), unix.TCSETS, t); err != nil {
		return nil, fmt.Errorf("set termios %s: %w", dev, err)
	}
	return f, nil
}

// channelWait is how long OpenChannel waits for its device to appear.
const channelWait = 5 * time.Second

// Flush waits until the channel has sent everything written to it.
func Flush(f *os.File) {
	_ = unix.IoctlSetInt(int(f.Fd()), unix.TCSBRK, 1) // tcdrain
}

// PowerOff ends the VM.
func PowerOff() {
	unix.Sync()
	_ = unix.Reboot(unix.LINUX_REBOOT_CMD_POWER_OFF)
}

// Release returns uname -r.
func (*Linux) Release() string {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return ""
	}
	return unix.ByteSliceToString(u.Release[:])
}

// UptimeUS returns CLOCK_BOOTTIME, the clock of kernel log timestamps.
func (*Linux) UptimeUS() uint64 {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts)
	return uint64(ts.Nano() / 1000)
}

// Taint reads /proc/sys/kernel/tainted.
func (*Linux) Taint() uint64 {
	b, _ := os.ReadFile("/proc/sys/kernel/tainted")
	v, _ := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	return v
}

// LoadSupport loads a harness driver in-process.
func (*Linux) LoadSupport(path string) error {
	return insmod(path, "")
}

// Drain reads every kernel log record available now.
func (l *Linux) Drain() ([]kmsg.Record, int) {
	var recs []kmsg.Record
	lost := 0
	buf := make([]byte, 8192)
	for {
		n, err := unix.Read(l.kmsg, buf)
		if errors.Is(err, unix.EPIPE) {
			continue // overwritten before we read it: the seq gap counts it
		}
		if err != nil || n <= 0 {
			return recs, lost
		}
		r, perr := kmsg.ParseRecord(buf[:n])
		if perr != nil {
			continue
		}
		if l.haveSeq && r.Seq > l.lastSeq+1 {
			lost += int(r.Seq - l.lastSeq - 1)
		}
		l.lastSeq, l.haveSeq = r.Seq, true
		recs = append(recs, r)
	}
}

// RunStep runs the step as "/init step ACTION PATH PARAMS" in a child.
func (*Linux) RunStep(s plan.Step, timeout time.Duration, poll func() bool) Result {
	self, err := os.Executable()
	if err != nil {
		self = "/init"
	}
	cmd := exec.Command(self, "step", string(s.Action), s.Path, s.Params)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	sent := newSentinel()
	cmd.ExtraFiles = sent.file()
	if err := cmd.Start(); err != nil {
		return Result{Status: plan.Failed, Error: fmt.Sprintf("start step process: %v", err)}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.After(timeout)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			r := resultOf(cmd.ProcessState, err, strings.TrimSpace(stderr.String()))
			r.Freed = sent.freed
			return r
		case <-tick.C:
			if poll() {
				// The kernel killed the thread in the syscall; the rest of the
				// process would wait for it forever.
				_ = cmd.Process.Kill()
				return Result{Status: plan.Killed, Error: "the kernel killed the step's thread (oops); step process ended"}
			}
		case <-deadline:
			// A process stuck in a module's init or exit cannot be killed:
			// leave it, report the hang, and go on with other modules.
			_ = cmd.Process.Kill()
			return Result{Status: plan.Hung, Error: fmt.Sprintf("%s did not return within %v", s.Action, timeout)}
		}
	}
}

func resultOf(ps *os.ProcessState, err error, msg string) Result {
	if ps == nil {
		return Result{Status: plan.Failed, Error: fmt.Sprintf("wait: %v", err)}
	}
	ws, _ := ps.Sys().(syscall.WaitStatus)
	switch {
	case ps.Success():
		return Result{Status: plan.OK}
	case ws.Signaled():
		return Result{Status: plan.Killed, Error: "step process killed by " + ws.Signal().String()}
	default:
		code := ps.ExitCode()
		return Result{Status: plan.Failed, Errno: unix.ErrnoName(unix.Errno(code)), Error: msg}
	}
}

// StepMain is the child side of RunStep: it performs one action and exits
// with 0 or the errno.
func StepMain(args []string) int {
	mapSentinel()
	if len(args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: step insmod|rmmod PATH [PARAMS]")
		return int(unix.EINVAL)
	}
	params := ""
	if len(args) > 2 {
		params = args[2]
	}
	var err error
	switch plan.Action(args[0]) {
	case plan.Insmod:
		err = insmod(args[1], params)
	case plan.Rmmod:
		err = kmodule.Delete(ModuleName(args[1]), unix.O_NONBLOCK)
	default:
		err = fmt.Errorf("unknown action %q: %w", args[0], unix.EINVAL)
	}
	if err == nil {
		return 0
	}
	fmt.Fprintln(os.Stderr, err)
	var errno unix.Errno
	if errors.As(err, &errno) {
		return int(errno)
	}
	return int(unix.EIO)
}

func insmod(path, params string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return kmodule.FileInit(f, params, 0)
}

// ProcFacts reads VmSize and VmRSS from /proc/PID/status.
func (*Linux) ProcFacts(pid int) map[string]string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(l, ":")
		f := strings.Fields(v)
		switch {
		case k == "VmSize" && len(f) > 0:
			out["vmsize_kb"] = f[0]
		case k == "VmRSS" && len(f) > 0:
			out["vmrss_kb"] = f[0]
		}
	}
	return out
}

// Loaded lists the module names in /proc/modules.
func (*Linux) Loaded() []string {
	b, _ := os.ReadFile("/proc/modules")
	var names []string
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			names = append(names, f[0])
		}
	}
	return names
}

// ConsoleLevel writes the console log level (the first field of
// /proc/sys/kernel/printk).
func (*Linux) ConsoleLevel(level int) {
	_ = os.WriteFile("/proc/sys/kernel/printk", []byte(strconv.Itoa(level)), 0)
}

// kmemleakFile is kmemleak's control and report file, in debugfs.
const kmemleakFile = "/sys/kernel/debug/kmemleak"

// LeakClear implements Sys.
func (*Linux) LeakClear() bool {
	_ = unix.Mount("debugfs", "/sys/kernel/debug", "debugfs", 0, "")
	if _, err := os.Stat(kmemleakFile); err != nil {
		return false
	}
	return os.WriteFile(kmemleakFile, []byte("clear"), 0) == nil
}

// LeakScan implements Sys. Writing "scan" returns when the scan is done.
// It scans twice: kmemleak does not report an object whose contents
// changed since the scan before (its checksum), and a new object's first
// checksum always differs.
func (*Linux) LeakScan() (string, string, error) {
	for range 2 {
		if err := os.WriteFile(kmemleakFile, []byte("scan"), 0); err != nil {
			return "", "", fmt.Errorf("scan: %w", err)
		}
	}
	report, err := os.ReadFile(kmemleakFile)
	if err != nil {
		return "", "", fmt.Errorf("read report: %w", err)
	}
	tl, err := os.ReadFile("/proc/timer_list")
	if err != nil {
		return string(report), "", fmt.Errorf("read /proc/timer_list: %w", err)
	}
	// Only the clock lines: the file lists every pending timer.
	var clock []string
	var now, jiffies bool
	for _, l := range strings.Split(string(tl), "\n") {
		l = strings.TrimSpace(l)
		if !now && strings.HasPrefix(l, "now at ") {
			clock, now = append(clock, l), true
		}
		if !jiffies && strings.HasPrefix(l, "jiffies: ") {
			clock, jiffies = append(clock, l), true
		}
	}
	return string(report), strings.Join(clock, "\n"), nil
}

// Mark writes text into the kernel log as a user-space record at level
// warning (facility user: a module's printk is facility kernel, so the
// host tells them apart), which reaches the console even while a flooding
// step has turned it down to warnings.
func (*Linux) Mark(text string) {
	f, err := os.OpenFile("/dev/kmsg", os.O_WRONLY, 0)
	if err != nil {
		return
	}
	defer f.Close()
	_, _ = f.WriteString("<12>" + text + "\n")
}

// Sections reads /sys/module/NAME/sections: each file holds a section's
// address (real for root, which the agent is).
func (*Linux) Sections(module string) map[string]uint64 {
	dir := "/sys/module/" + module + "/sections"
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	out := map[string]uint64{}
	for _, e := range ents {
		b, err := os.ReadFile(dir + "/" + e.Name())
		if err != nil {
			continue
		}
		if v, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(string(b)), "0x"), 16, 64); err == nil && v != 0 {
			out[e.Name()] = v
		}
	}
	return out
}

// Unload removes a module without waiting for its users.
func (*Linux) Unload(module string) error {
	return kmodule.Delete(module, unix.O_NONBLOCK)
}

// PidFloor writes ns_last_pid (kernels with CONFIG_CHECKPOINT_RESTORE, as
// Debian's): the next process gets n+1. Where the file is missing, pids
// stay as the kernel gives them.
func (*Linux) PidFloor(n int) {
	_ = os.WriteFile("/proc/sys/kernel/ns_last_pid", []byte(strconv.Itoa(n)), 0)
}
