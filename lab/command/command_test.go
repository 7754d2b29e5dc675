package command

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRunEndings(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script string
		o      Options
		how    Ending // -1: success
		code   int
		tail   string // in the error's last lines
		out    string // in the returned output
	}{
		{name: "success", script: "echo out; echo err >&2", how: -1, out: "out\nerr\n"},
		{name: "exit code", script: "echo first; echo 'make: *** Error 1'; exit 3", how: Exited, code: 3, tail: "make: *** Error 1", out: "first"},
		{name: "signal", script: "echo dying; kill -SEGV $$", how: Signaled, code: 11, tail: "dying"},
		{name: "timeout", script: "echo started; exec sleep 1000", o: Options{Timeout: 200 * time.Millisecond}, how: TimedOut, tail: "started"},
		{name: "stdout apart", script: "echo data; echo complaint >&2; exit 1", o: Options{Stdout: &bytes.Buffer{}}, how: Exited, code: 1, tail: "complaint", out: "complaint"},
		{name: "through file", script: "echo one; echo two >&2; exit 2", o: Options{ThroughFile: true}, how: Exited, code: 2, tail: "two", out: "one\ntwo\n"},
		{name: "missing program", script: "", how: NotStarted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			argv := []string{"sh", "-c", tc.script}
			if tc.script == "" {
				argv = []string{"/nonexistent/lkmlab-no-such-program"}
			}
			out, err := Run(context.Background(), argv, tc.o)
			if !strings.Contains(string(out), tc.out) {
				t.Errorf("output %q, want it to contain %q", out, tc.out)
			}
			if tc.how == -1 {
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Run error = %v, want *Error", err)
			}
			if e.How != tc.how || (tc.code != 0 && e.Code != tc.code) {
				t.Errorf("ended %v code %d, want %v code %d (%v)", e.How, e.Code, tc.how, tc.code, err)
			}
			if tc.tail != "" && !strings.Contains(strings.Join(e.Tail, "\n"), tc.tail) {
				t.Errorf("tail %q, want %q", e.Tail, tc.tail)
			}
		})
	}
}

func TestRunTimeoutKillsTheWholeGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "grandchild")
	// The shell starts a sleeping grandchild and waits: killing the shell
	// alone would leave the sleep running.
	script := fmt.Sprintf("sleep 1000 & echo $! > %s; wait", pidFile)
	_, err := Run(context.Background(), []string{"sh", "-c", script}, Options{Timeout: 300 * time.Millisecond})
	var e *Error
	if !errors.As(err, &e) || e.How != TimedOut || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run = %v, want a timeout", err)
	}
	if !strings.Contains(e.Error(), "timed out after 300ms") {
		t.Errorf("Error() = %q, want the limit named", e.Error())
	}
	waitGone(t, readPid(t, pidFile))
}

func TestRunSweepsLeftoversAfterExit(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "leftover")
	script := fmt.Sprintf("sleep 1000 & echo $! > %s", pidFile)
	if _, err := Run(context.Background(), []string{"sh", "-c", script}, Options{}); err != nil {
		t.Fatal(err)
	}
	waitGone(t, readPid(t, pidFile))
}

func TestRunCancel(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "grandchild")
	ctx, cancel := context.WithCancel(context.Background())
	started := filepath.Join(dir, "started")
	go func() {
		for !exists(started) {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	script := fmt.Sprintf("sleep 1000 & echo $! > %s; touch %s; wait", pidFile, started)
	_, err := Run(ctx, []string{"sh", "-c", script}, Options{})
	var e *Error
	if !errors.As(err, &e) || e.How != Canceled || !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want canceled", err)
	}
	waitGone(t, readPid(t, pidFile))
}

// A source that includes /proc/self/fd/1 makes the compiler read its own
// output. Through a pipe that read blocks forever; through a file it ends.
func TestRunOutputThroughFileCannotBlockOnItself(t *testing.T) {
	script := "echo hello; head -c 100 /proc/self/fd/1; echo done"
	out, err := Run(context.Background(), []string{"sh", "-c", script}, Options{ThroughFile: true, Timeout: 30 * time.Second})
	if err != nil || !strings.Contains(string(out), "done") {
		t.Fatalf("through a file: %q, %v", out, err)
	}
	_, err = Run(context.Background(), []string{"sh", "-c", script}, Options{Timeout: time.Second})
	var e *Error
	if !errors.As(err, &e) || e.How != TimedOut {
		t.Fatalf("through a pipe: %v, want the read to block until the timeout", err)
	}
}

func TestRunOutputIsBoundedAndTeed(t *testing.T) {
	for _, file := range []bool{false, true} {
		t.Run(fmt.Sprintf("file=%v", file), func(t *testing.T) {
			var all bytes.Buffer
			script := "i=0; while [ $i -lt 5000 ]; do echo line$i; i=$((i+1)); done"
			out, err := Run(context.Background(), []string{"sh", "-c", script}, Options{MaxOutput: 100, ThroughFile: file, Output: &all})
			if err != nil {
				t.Fatal(err)
			}
			if len(out) > 100 || !strings.HasSuffix(string(out), "line4999\n") {
				t.Errorf("kept %d bytes ending %q, want at most 100 ending with the last line", len(out), out[max(0, len(out)-20):])
			}
			// What is kept starts at a line: a line cut in its middle could
			// start inside a path that scrubbing then misses.
			if !strings.HasPrefix(string(out), "line") {
				t.Errorf("kept output starts %q, in the middle of a line", out[:min(len(out), 20)])
			}
			if n := strings.Count(all.String(), "\n"); n != 5000 {
				t.Errorf("Output got %d lines, want all 5000", n)
			}
		})
	}
}

func TestRunEnvironment(t *testing.T) {
	t.Setenv("LKMLAB_CANARY", "grader-secret")
	for _, tc := range []struct {
		name string
		env  []string
		want string
	}{
		{"nil inherits", nil, "grader-secret"},
		{"empty is empty", []string{}, ""},
		{"explicit", []string{"A=1"}, ""},
		{"Environ adds", Environ("LKMLAB_CANARY=override"), "override"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Run(context.Background(), []string{"/usr/bin/env"}, Options{Env: tc.env})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for _, l := range strings.Split(string(out), "\n") {
				if v, ok := strings.CutPrefix(l, "LKMLAB_CANARY="); ok {
					got = v
				}
			}
			if got != tc.want {
				t.Errorf("LKMLAB_CANARY = %q, want %q (env: %q)", got, tc.want, out)
			}
			if tc.env != nil && len(tc.env) == 0 && len(bytes.TrimSpace(out)) != 0 {
				t.Errorf("empty environment printed %q", out)
			}
		})
	}
}

func TestRunBeforeExecGate(t *testing.T) {
	var seen int
	script := "echo $$; [ -e /proc/$$/fd/3 ] && echo gate-leaked || echo gate-closed"
	out, err := Run(context.Background(), []string{"sh", "-c", script}, Options{
		BeforeExec: func(pid int) error { seen = pid; return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(string(out))
	if len(lines) != 2 || lines[0] != strconv.Itoa(seen) {
		t.Fatalf("program said %q, BeforeExec saw pid %d", lines, seen)
	}
	if lines[1] != "gate-closed" {
		t.Errorf("the gate's descriptor 3 is open in the program")
	}
	marker := filepath.Join(t.TempDir(), "ran")
	_, err = Run(context.Background(), []string{"touch", marker}, Options{
		BeforeExec: func(int) error { return errors.New("no cgroup") },
	})
	if err == nil || !strings.Contains(err.Error(), "no cgroup") {
		t.Fatalf("Run with a failing BeforeExec = %v", err)
	}
	// The gate's shell runs the program with the program's environment,
	// here none at all: the program is found with this process's PATH.
	if out, err := Run(context.Background(), []string{"env"}, Options{Env: []string{}, BeforeExec: func(int) error { return nil }}); err != nil || len(out) != 0 {
		t.Errorf("gated program with an empty environment: %q, %v", out, err)
	}
	if exists(marker) {
		t.Fatal("the program ran although BeforeExec failed")
	}
}

func readPid(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// waitGone waits until pid is gone or a zombie (killed, waiting for
// whichever init reaps orphans), and fails if it still runs much later.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	for range 500 {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return
		}
		// "pid (comm) S ...": the state follows the last ')'.
		if f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:])); len(f) > 0 && (f[0] == "Z" || f[0] == "X") {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("process %d still runs: its group was not killed", pid)
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestRunFindsARelativeProgramInDir: "./prog" names a file in Options.Dir,
// as a shell started there would find it.
func TestRunFindsARelativeProgramInDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "prog"), []byte("#!/bin/sh\necho ran in $(pwd)\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := Run(t.Context(), []string{"./prog"}, Options{Dir: dir})
	if err != nil || !strings.Contains(string(out), "ran in "+dir) {
		t.Fatalf("Run ./prog in %s = %q, %v", dir, out, err)
	}
}
