package command

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// gate holds a started process before it execs the program: /bin/sh
// blocks reading a pipe, and execs the program (same pid) once a line
// arrives. A process can then be placed somewhere (a cgroup v1 group)
// before it runs anything or forks. The zero gate (no BeforeExec) is open.
type gate struct {
	fd   int      // the pipe's descriptor number in the child
	r, w *os.File // nil when there is no gate
}

func newGate(want bool, fd int) (*gate, error) {
	if !want {
		return &gate{}, nil
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("create gate: %w", err)
	}
	return &gate{fd: fd, r: r, w: w}, nil
}

// wrap returns the command line that waits at the gate, then runs argv
// with env (nil: inherited). The gate's descriptor is closed for the
// program, and so is the PWD the shell exports where env has none.
func (g *gate) wrap(argv, env []string) []string {
	if g.r == nil {
		return argv
	}
	n := strconv.Itoa(g.fd)
	script := "read -r _ <&" + n + " && exec \"$@\" " + n + "<&-"
	if env != nil && !slices.ContainsFunc(env, func(kv string) bool { return strings.HasPrefix(kv, "PWD=") }) {
		script = "unset PWD; " + script
	}
	return append([]string{"/bin/sh", "-c", script, "sh"}, argv...)
}

// files is what the child gets as its gate descriptor.
func (g *gate) files() []*os.File {
	if g.r == nil {
		return nil
	}
	return []*os.File{g.r}
}

// open calls before with pid, then lets the process through. An error from
// before keeps the gate shut (the caller kills the process).
func (g *gate) open(pid int, before func(int) error) error {
	if g.r == nil {
		return nil
	}
	g.r.Close()
	defer g.w.Close()
	if err := before(pid); err != nil {
		return err
	}
	if _, err := g.w.Write([]byte("\n")); err != nil {
		return fmt.Errorf("open gate: %w", err)
	}
	return nil
}

// abandon releases a gate whose process never started.
func (g *gate) abandon() {
	if g.r != nil {
		g.r.Close()
		g.w.Close()
	}
}
