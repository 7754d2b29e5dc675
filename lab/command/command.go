// Package command runs external programs: argv + limits -> captured output,
// or an *Error that says how the program ended.
//
// Every program lkmlab starts (make, the compiler under bubblewrap, apt-get,
// dpkg-deb, addr2line, objcopy) goes through Run, so each one gets the same
// treatment: its own process group, killed as a whole (SIGKILL to -pgid) on
// cancel, on its wall-clock limit and, for leftovers, after it exits; a
// parent-death signal so a killed lkmlab leaves nothing running; a bounded
// capture of its output; an explicit environment. os/exec alone kills only
// the direct child, which leaves a compiler running under a cancelled make.
package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// DefaultMaxOutput is how much output Run keeps when Options.MaxOutput is 0.
const DefaultMaxOutput = 1 << 20

// waitDelay bounds the wait for output pipes after the process group is
// dead: a process that left the group (setsid) may still hold them.
const waitDelay = 2 * time.Second

// Options configure Run. The zero value runs the program in the current
// folder with this process's environment, no limit but the context, and
// its stdout and stderr captured together through pipes.
type Options struct {
	// Dir is the working folder; "" is the current one.
	Dir string
	// Env is the program's whole environment. nil inherits this
	// process's; a non-nil empty slice gives it none. Environ adds to
	// this process's.
	Env []string
	// Stdin feeds the program; nil is /dev/null.
	Stdin io.Reader
	// Stdout, when set, receives stdout alone (data such as a
	// decompressed stream), uncaptured; the capture then holds stderr.
	Stdout io.Writer
	// Output receives the captured output as it arrives; nil discards it.
	Output io.Writer
	// Timeout is a wall-clock limit; 0 means only ctx bounds the run.
	Timeout time.Duration
	// ThroughFile sends the captured output through an unlinked temporary
	// file instead of a pipe, so a program that reads its own output
	// (a source that includes /proc/self/fd/1) reads a file and cannot
	// block on its own pipe.
	ThroughFile bool
	// MaxOutput is how many bytes of captured output are kept, the last
	// ones; 0 means DefaultMaxOutput. Output still sees everything.
	MaxOutput int
	// ExtraFiles are passed as file descriptors 3, 4, ...
	ExtraFiles []*os.File
	// SurviveParent leaves out the parent-death signal (SIGKILL when this
	// process dies) that a started program otherwise gets.
	SurviveParent bool
	// Cgroup, an open cgroup v2 folder, is where the program starts
	// (CLONE_INTO_CGROUP), before it runs any instruction. Linux only.
	Cgroup *os.File
	// BeforeExec, when set, runs with the pid of the started process
	// before that process runs the program: the process waits at a gate
	// (/bin/sh blocked on a pipe) until BeforeExec returns, then execs
	// the program under the same pid. It places a process in a cgroup v1
	// group before it can fork. An error kills the process.
	BeforeExec func(pid int) error
}

// Environ returns this process's environment with extra added; a variable
// in extra overrides the inherited one.
func Environ(extra ...string) []string {
	return append(os.Environ(), extra...)
}

// Run runs argv and returns its captured output (stdout and stderr, or
// stderr alone when Options.Stdout is set), the last Options.MaxOutput
// bytes. A run that does not exit 0 returns an *Error along with the output.
func Run(ctx context.Context, argv []string, o Options) ([]byte, error) {
	if len(argv) == 0 {
		return nil, errors.New("run: empty command line")
	}
	if err := ctx.Err(); err != nil {
		return nil, &Error{Argv: argv, How: Canceled, Err: err}
	}
	c, err := newCapture(o)
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", label(argv), err)
	}
	defer c.close()
	// Resolved here, with this process's PATH, also when a gate's shell
	// execs it with the program's own environment.
	// A relative path with a slash ("./configure") names a file in the
	// command's own folder, not in this process's.
	name := argv[0]
	if strings.Contains(name, "/") && !filepath.IsAbs(name) && o.Dir != "" {
		name = filepath.Join(o.Dir, name)
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return nil, &Error{Argv: argv, How: NotStarted, Err: err}
	}
	cmd, gate, err := prepare(append([]string{path}, argv[1:]...), o, c)
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", label(argv), err)
	}
	// The parent-death signal follows the thread that started the child:
	// hold this goroutine on its thread until the child is reaped.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := cmd.Start(); err != nil {
		gate.abandon()
		return nil, &Error{Argv: argv, How: NotStarted, Err: err}
	}
	if err := gate.open(cmd.Process.Pid, o.BeforeExec); err != nil {
		killGroup(cmd.Process.Pid)
		_ = cmd.Wait()
		return nil, fmt.Errorf("run %s: %w", label(argv), err)
	}
	stopTee := c.startTee()
	killed, why, werr := wait(ctx, cmd, o.Timeout)
	stopTee()
	out := c.bytes()
	if err := ending(argv, o.Timeout, killed, why, werr, out); err != nil {
		return out, err
	}
	return out, nil
}

// prepare builds the exec.Cmd, behind a gate when o.BeforeExec is set.
func prepare(argv []string, o Options, c *capture) (*exec.Cmd, *gate, error) {
	g, err := newGate(o.BeforeExec != nil, 3+len(o.ExtraFiles))
	if err != nil {
		return nil, nil, err
	}
	run := g.wrap(argv, o.Env)
	cmd := exec.Command(run[0], run[1:]...)
	cmd.Dir, cmd.Env, cmd.Stdin = o.Dir, o.Env, o.Stdin
	cmd.Stdout, cmd.Stderr = c.writer(), c.writer()
	if o.Stdout != nil {
		cmd.Stdout = o.Stdout
	}
	cmd.ExtraFiles = append(append([]*os.File(nil), o.ExtraFiles...), g.files()...)
	cmd.WaitDelay = waitDelay
	if err := setProcAttr(cmd, o); err != nil {
		g.abandon()
		return nil, nil, err
	}
	return cmd, g, nil
}

// wait waits for cmd, killing its group when ctx ends or the timeout
// passes, and sweeps the group once the leader has exited. killed is
// TimedOut or Canceled when it killed the group for that reason, with the
// context's error in why.
func wait(ctx context.Context, cmd *exec.Cmd, timeout time.Duration) (killed Ending, why, err error) {
	var timer <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		timer = t.C
	}
	pid := cmd.Process.Pid
	exited, reap := startWait(cmd)
	select {
	case <-exited:
	case <-ctx.Done():
		killed, why = Canceled, ctx.Err()
	case <-timer:
		killed, why = TimedOut, context.DeadlineExceeded
	}
	if why != nil {
		killGroup(pid)
		<-exited
	}
	// The leader is a zombie now, not yet reaped, so the group id still
	// names this group: kill what the program left behind.
	killGroup(pid)
	err = reap()
	if errors.Is(err, exec.ErrWaitDelay) {
		err = nil // exited 0; a process outside the group held a pipe
	}
	return killed, why, err
}

// ending turns how the run ended into nil or an *Error.
func ending(argv []string, timeout time.Duration, killed Ending, why, werr error, out []byte) error {
	e := &Error{Argv: argv, Tail: lastLines(out, tailLines), Err: werr}
	switch {
	case why != nil:
		e.How, e.Err = killed, why
		if killed == TimedOut {
			e.Timeout = timeout
		}
	case werr == nil:
		return nil
	default:
		var xe *exec.ExitError
		if !errors.As(werr, &xe) {
			e.How = NotStarted
			return e
		}
		e.How, e.Code = exitStatus(xe)
	}
	return e
}

// label names a command in messages: "make", "apt-get download".
func label(argv []string) string {
	name := filepath.Base(argv[0])
	if len(argv) > 1 && argv[1] != "" && argv[1][0] != '-' && len(argv[1]) < 24 && filepath.Base(argv[1]) == argv[1] {
		return name + " " + argv[1]
	}
	return name
}
