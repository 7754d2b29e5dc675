package agent

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// factsTimeout bounds a workload's setup: a tree starts several processes,
// each a Go runtime, under software emulation (and KASAN, on the debug
// kernel).
const factsTimeout = 20 * time.Second

// reapTimeout bounds how long stopping a workload waits for its processes
// to die: one stuck in the kernel (a module holding it) cannot be reaped.
const reapTimeout = 2 * time.Second

// proc is a started workload process: the agent's, or a tree's child.
type proc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr *strings.Builder
	group  bool // it leads its own process group, which stop kills whole
	facts  map[string]string
}

// launch starts "SELF workload KIND -" with an empty environment, writes
// args as one JSON line on its stdin and reads its facts line from its
// stdout. extra become its descriptors 3 and up. With group the process
// leads a new process group, which its own children join.
func launch(kind string, args map[string]string, extra []*os.File, group bool) (*proc, error) {
	self, err := os.Executable()
	if err != nil {
		self = "/init"
	}
	cmd := exec.Command(self, "workload", kind, argsOnStdin)
	// Without async preemption the Go runtime never stops a spinning
	// workload's loop: a preempted goroutine locked to the main thread
	// parks that thread until it is handed back, and a module walking the
	// task list at that moment saw the spinner sleeping (real/bilal-k's
	// running, under load).
	cmd.Env = []string{"GODEBUG=asyncpreemptoff=1"}
	cmd.ExtraFiles = extra
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: group}
	p := &proc{cmd: cmd, stderr: &strings.Builder{}, group: group}
	cmd.Stderr = p.stderr
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, fmt.Errorf("start workload: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("start workload: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start workload: %w", err)
	}
	line, _ := json.Marshal(args)
	if _, err := p.stdin.Write(append(line, '\n')); err != nil {
		return nil, p.died()
	}
	if p.facts, err = p.readFacts(stdout); err != nil {
		return nil, err
	}
	return p, nil
}

// readFacts reads the one JSON line of facts the workload prints once set up.
func (p *proc) readFacts(stdout io.Reader) (map[string]string, error) {
	line := make(chan []byte, 1)
	go func() {
		b, _ := bufio.NewReader(stdout).ReadBytes('\n')
		line <- b
	}()
	select {
	case b := <-line:
		var facts map[string]string
		if err := json.Unmarshal(b, &facts); err != nil || facts == nil {
			return nil, p.died()
		}
		return facts, nil
	case <-time.After(factsTimeout):
		p.stop(nil)
		return nil, fmt.Errorf("no facts within %v", factsTimeout)
	}
}

// kill sends SIGKILL to the process, and to its group when it leads one.
func (p *proc) kill() {
	if p.group {
		_ = unix.Kill(-p.cmd.Process.Pid, unix.SIGKILL)
	}
	_ = p.cmd.Process.Kill()
}

// stop closes the workload's stdin, kills it (its group with it) and reaps
// it, then the orphans: its children, whom the agent, as pid 1, inherits
// when their parent dies. It reports whether every one of them is gone.
func (p *proc) stop(orphans []int) bool {
	p.stdin.Close()
	p.kill()
	reaped := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(reaped) }()
	select {
	case <-reaped:
	case <-time.After(reapTimeout):
		return false
	}
	return reapAll(orphans, time.Now().Add(reapTimeout))
}

// reapAll waits for each pid to end and reaps it when it is this process's
// child. A pid that is not (the agent runs outside the guest, or is not
// pid 1) only has to be dead: a zombie or gone.
func reapAll(pids []int, deadline time.Time) bool {
	for _, pid := range pids {
		for {
			var ws unix.WaitStatus
			got, err := unix.Wait4(pid, &ws, unix.WNOHANG, nil)
			if err == unix.EINTR {
				continue
			}
			if got == pid || err != nil && dead(pid) {
				break
			}
			if time.Now().After(deadline) {
				return false
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return true
}

// dead reports whether pid is gone or a zombie.
func dead(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	_, state, err := parseStat(string(b))
	return err == nil && (state == 'Z' || state == 'X')
}

// died explains a workload that ended without reporting facts: its own
// message, or how it ended (an OOM kill leaves no message).
func (p *proc) died() error {
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	var werr error
	select {
	case werr = <-done:
	case <-time.After(reapTimeout):
		p.kill()
		werr = <-done
	}
	msg := strings.TrimSpace(p.stderr.String())
	if msg == "" {
		msg = fmt.Sprintf("ended before reporting its facts (%v; out of memory?)", werr)
	}
	return errors.New(msg)
}

// parseStat reads the name and state from the text of /proc/PID/stat. The
// name sits in parentheses and may hold spaces and parentheses itself: it
// ends at the last ')'.
func parseStat(s string) (comm string, state byte, err error) {
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open || end+2 >= len(s) || s[end+1] != ' ' {
		return "", 0, fmt.Errorf("parse stat %q: no (comm) state", s)
	}
	return s[open+1 : end], s[end+2], nil
}

// pidList reads a comma-separated list of pids; it skips what is not one.
func pidList(s string) []int {
	var pids []int
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 1 {
			pids = append(pids, n)
		}
	}
	return pids
}

// sentinels are the address-space sentinels of a workload's processes:
// the first is the workload's own, the others its children's. Nil when
// the kernel has no memfd: then nothing is checked.
type sentinels []*sentinel

func newSentinels(n int) sentinels {
	s := make(sentinels, n)
	for i := range s {
		if s[i] = newSentinel(); s[i] == nil {
			s.close()
			return nil
		}
	}
	return s
}

// files are the sentinels' descriptors, for exec.Cmd.ExtraFiles.
func (s sentinels) files() []*os.File {
	var fs []*os.File
	for _, x := range s {
		fs = append(fs, x.f)
	}
	return fs
}

// freed reports whether every process's address space was freed.
func (s sentinels) freed() bool {
	ok := true
	for _, x := range s {
		ok = x.freed() && ok // each closes its memfd
	}
	return ok
}

func (s sentinels) close() {
	for _, x := range s {
		if x != nil {
			x.f.Close()
		}
	}
}
