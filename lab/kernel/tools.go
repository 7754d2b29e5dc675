package kernel

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
)

// stderrTailLines is how many trailing stderr lines an error quotes.
const stderrTailLines = 3

// requireTool checks that a command is on PATH, naming the Debian package
// that provides it when it is not.
func requireTool(name, debianPackage string) error {
	if _, err := exec.LookPath(name); err != nil {
		return fmt.Errorf("%s not found in PATH: run 'sudo apt-get install %s'", name, debianPackage)
	}
	return nil
}

// command describes one external program run.
type command struct {
	argv []string // program and arguments
	dir  string   // working directory; "" is the current one
	env  []string // extra environment, appended to (and overriding) ours
}

// run executes c and returns its stdout. A failure is reported as
// "<program> <first arg>: <exit error>: <last stderr lines>".
func run(ctx context.Context, c command) ([]byte, error) {
	cmd := exec.CommandContext(ctx, c.argv[0], c.argv[1:]...)
	cmd.Dir = c.dir
	dieWithParent(cmd)
	if len(c.env) > 0 {
		cmd.Env = append(cmd.Environ(), c.env...)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %w%s", c.label(), err, tail(stderr.String()))
	}
	return stdout.Bytes(), nil
}

// label names the command in errors, e.g. "apt-get download".
func (c command) label() string {
	if len(c.argv) > 1 && !strings.HasPrefix(c.argv[1], "-") {
		return c.argv[0] + " " + c.argv[1]
	}
	return c.argv[0]
}

// tail returns ": " and the last few non-empty lines of s joined by "; ",
// or "" when s is blank.
func tail(s string) string {
	var lines []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	if len(lines) == 0 {
		return ""
	}
	if len(lines) > stderrTailLines {
		lines = lines[len(lines)-stderrTailLines:]
	}
	return ": " + strings.Join(lines, "; ")
}
