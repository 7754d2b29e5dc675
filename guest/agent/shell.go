package agent

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lkmlab/lkmlab/lab/plan"
)

// Console is where a shell session runs: the guest's console terminal
// (console_linux.go). Tests use a fake.
type Console interface {
	// Write shows text on the console (the banner, the steps run before
	// the shell opens).
	io.Writer
	// Shell links the busybox's commands and runs the shell on the
	// console, as the session leader with the console as its controlling
	// terminal; it returns when the shell exits.
	Shell(cfg *plan.Shell) error
}

// OpenConsole opens the guest's console for a shell session; tests
// replace it.
var OpenConsole = openTTY

// shellFile is plan.ShellFile; tests move it.
var shellFile = plan.ShellFile

// shellLogLevel is the console log level while a shell runs: warnings
// and worse (an oops, a WARN) still show, but a module's pr_info does not
// tear up what the person types; dmesg shows everything.
const shellLogLevel = 5

// shell runs an interactive session (plan.OpShell): the steps it is told
// to run first, then the shell on the console, with `lab` served beside
// it. It returns once the shell has exited; Done says so to the host.
func (a *Agent) shell(c plan.Command) error {
	cfg, err := plan.ReadShell(shellFile)
	var con Console
	if err == nil {
		con, err = OpenConsole()
	}
	if err != nil {
		return a.send(c.Nonce, plan.Record{Kind: plan.Fatal, Error: "shell: " + err.Error()})
	}
	l := newLab(a, cfg)
	stop, err := l.serve(labSocket)
	if err != nil {
		return a.send(c.Nonce, plan.Record{Kind: plan.Fatal, Error: "shell: " + err.Error()})
	}
	a.Sys.ConsoleLevel(shellLogLevel)
	for _, i := range cfg.Before {
		l.do(labRequest{Op: "run", Step: i}, con)
	}
	fmt.Fprint(con, a.banner())
	if err := a.send(c.Nonce, plan.Record{Kind: plan.ShellOpen, UptimeUS: a.Sys.UptimeUS()}); err != nil {
		stop()
		return err
	}
	serr := con.Shell(cfg)
	stop()
	a.stopWorkloads()
	done := plan.Record{Kind: plan.Done, UptimeUS: a.Sys.UptimeUS()}
	if serr != nil {
		done.Error = "shell: " + serr.Error()
	}
	a.Sys.Mark(plan.DoneMark)
	return a.send(c.Nonce, done)
}

// banner says what the session holds and how to use it.
func (a *Agent) banner() string {
	var mods []string
	seen := map[string]bool{}
	for _, s := range a.Plan.Steps {
		if s.Path != "" && !seen[s.Path] {
			seen[s.Path] = true
			mods = append(mods, filepath.Base(s.Path))
		}
	}
	sort.Strings(mods)
	var b strings.Builder
	fmt.Fprintf(&b, "\nlkmlab shell on Linux %s. Your modules are in %s: %s\n", a.Sys.Release(), plan.FilesDir, strings.Join(mods, " "))
	b.WriteString("  insmod NAME.ko [PARAM=VALUE...], rmmod NAME, lsmod, dmesg, cat, ps, ls, grep, ...\n")
	b.WriteString("  lab            the spec's steps: lab start N starts step N's workloads, lab run N runs the step\n")
	b.WriteString("  Ctrl-D, exit or poweroff ends the session\n\n")
	return b.String()
}
