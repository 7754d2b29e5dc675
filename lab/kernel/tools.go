package kernel

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"

	extcmd "github.com/lkmlab/lkmlab/lab/command"
)

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

// run executes c through lab/command (its own process group, killed with
// this process or its context) and returns its stdout. A failure is an
// *extcmd.Error: "<program> <first arg>: exit status N: <last stderr lines>".
func run(ctx context.Context, c command) ([]byte, error) {
	var stdout bytes.Buffer
	o := extcmd.Options{Dir: c.dir, Stdout: &stdout}
	if len(c.env) > 0 {
		o.Env = extcmd.Environ(c.env...)
	}
	if _, err := extcmd.Run(ctx, c.argv, o); err != nil {
		return nil, err
	}
	return stdout.Bytes(), nil
}
