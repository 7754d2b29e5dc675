package plan

import (
	"encoding/json"
	"fmt"
	"os"
)

// OpShell hands the guest's console to an interactive shell (lkmlab
// shell): the agent links the u-root commands, runs the steps listed in
// Shell.Before, starts the shell on the console and answers ShellOpen (or
// Fatal, saying why it could not). When the shell exits it sends Done, and
// the guest powers off. The settings come in ShellFile, a file of the
// request: a Command carries one step's values, a shell every step's.
const OpShell Op = "shell"

// ShellOpen answers OpShell once the shell runs.
const ShellOpen Kind = "shell-open"

// ShellFile is where the host puts a session's Shell in the guest.
const ShellFile = FilesDir + "/.shell.json"

// LabSocket is where the agent serves the guest's `lab` command while a
// shell runs: the agent (pid 1) owns the workloads, which must outlive
// the command that starts them.
const LabSocket = "/run/lkmlab-lab.sock"

// Shell is what an interactive session needs besides the plan's steps.
type Shell struct {
	// Busybox is u-root's commands in one binary (a gobusybox) in the
	// guest; Commands are the names it answers to, which the agent links
	// into the busybox's folder; Shell is the one to run ("gosh").
	Busybox  string   `json:"busybox"`
	Commands []string `json:"commands"`
	Shell    string   `json:"shell"`
	// Args and Floors are the values the host drew for each step's
	// workloads and pids (see Command), by step: `lab run N` uses step N's.
	Args   map[int]map[string]map[string]string `json:"args,omitempty"`
	Floors map[int]int                          `json:"floors,omitempty"`
	// Before are steps to run, in order, before the shell opens: a replay
	// that stops at a step runs its module's steps before it.
	Before []int `json:"before,omitempty"`
	// Rows and Cols are the size of the person's terminal; Term its TERM.
	Rows int    `json:"rows,omitempty"`
	Cols int    `json:"cols,omitempty"`
	Term string `json:"term,omitempty"`
}

// Write saves s to path.
func (s *Shell) Write(path string) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// ReadShell loads a session's settings.
func ReadShell(path string) (*Shell, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read shell settings: %w", err)
	}
	var s Shell
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("parse shell settings %s: %w", path, err)
	}
	return &s, nil
}
