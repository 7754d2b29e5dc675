package tests

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The student's loop as a person meets it: the lkmlab binary, in a real
// terminal (tmux), on the VM.

var (
	cliOnce sync.Once
	cliPath string
	cliErr  error
)

// lkmlabCLI builds the lkmlab command once for the package's tests. The
// agent it carries may be stale; LKMLAB_AGENT_AMD64 (set by TestMain) makes it
// run the one built from the current sources.
func lkmlabCLI(t *testing.T) string {
	t.Helper()
	cliOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lkmlab-tests-cli-")
		if err != nil {
			cliErr = err
			return
		}
		cliPath = filepath.Join(dir, "lkmlab")
		out, err := exec.Command("go", "build", "-o", cliPath, "../lab/cmd/lkmlab").CombinedOutput()
		if err != nil {
			cliErr = fmt.Errorf("go build lkmlab: %v\n%s", err, out)
		}
	})
	if cliErr != nil {
		t.Fatal(cliErr)
	}
	return cliPath
}

// need returns a program's path, or skips (fails with
// LKMLAB_REQUIRE_VM=1) saying how to install it.
func need(t *testing.T, program, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath(program); err == nil {
		return p
	}
	msg := fmt.Sprintf("%s not found: apt-get install %s", program, pkg)
	if os.Getenv("LKMLAB_REQUIRE_VM") == "1" {
		t.Fatalf("%s (LKMLAB_REQUIRE_VM=1: the student-loop tests must run)", msg)
	}
	t.Skip(msg)
	return ""
}

// pane is a tmux session of its own (its own server socket), running
// bash in a terminal of a known size.
type pane struct {
	t    *testing.T
	tmux string
	sock string
}

func newPane(t *testing.T, dir string) *pane {
	p := &pane{t: t, tmux: need(t, "tmux", "tmux"), sock: filepath.Join(t.TempDir(), "tmux.sock")}
	p.run("new-session", "-d", "-x", "120", "-y", "40", "-c", dir, "env PS1='host$ ' bash --norc --noprofile")
	t.Cleanup(func() { _ = exec.Command(p.tmux, "-S", p.sock, "kill-server").Run() })
	return p
}

func (p *pane) run(args ...string) string {
	p.t.Helper()
	out, err := exec.Command(p.tmux, append([]string{"-S", p.sock}, args...)...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// send types a line (keys, then Enter); keys are taken literally.
func (p *pane) send(line string) {
	p.run("send-keys", "-t", "0", "-l", line)
	p.run("send-keys", "-t", "0", "Enter")
}

// screen is what the pane shows, its history included.
func (p *pane) screen() string { return p.run("capture-pane", "-p", "-t", "0", "-S", "-2000") }

// waitFor waits until the pane shows want after the text it showed when
// asked (from), and returns the screen.
func (p *pane) waitFor(from int, want string, limit time.Duration) string {
	p.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		s := p.screen()
		if len(s) >= from && strings.Contains(s[from:], want) {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the terminal never showed %q; it shows:\n%s", want, s)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// command types line into the guest's shell and returns what it printed
// up to the next prompt. The marks are typed split ("MA""RK"), so only
// the output, not the echoed command line, holds them whole; each starts
// a line of its own even when a prompt came late and shares the line
// with the first output.
func (p *pane) command(line string) string {
	p.t.Helper()
	from := len(p.screen())
	p.send(fmt.Sprintf(`echo; echo BE""GIN; %s; echo E""ND`, line))
	s := p.waitFor(from, "\nEND", 2*time.Minute)
	out := s[from:]
	i, j := strings.LastIndex(out, "\nBEGIN"), strings.LastIndex(out, "\nEND")
	if i < 0 || j < i {
		p.t.Fatalf("no output of %q:\n%s", line, out)
	}
	return out[i+len("\nBEGIN") : j]
}

// TestShellInTerminal runs lkmlab shell in a real terminal: it loads a
// module, reads the kernel log, unloads it, interrupts a command with
// Ctrl-C, ends with Ctrl-D, and leaves the terminal as it found it.
func TestShellInTerminal(t *testing.T) {
	k := needVM(t)
	cli := lkmlabCLI(t)
	modules, err := filepath.Abs("../modules")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := newPane(t, dir)
	p.send("stty -g > before.stty")
	p.send(fmt.Sprintf("%s shell --kernel %s --modules %s hello 2>shell.log; echo EXIT=$?", cli, k.Name, modules))
	p.waitFor(0, "Ctrl-D, exit or poweroff ends the session", 5*time.Minute)
	p.waitFor(0, "\n$", time.Minute)

	if out := p.command("insmod hello.ko"); strings.TrimSpace(out) != "" && !strings.Contains(out, "taints kernel") {
		t.Fatalf("insmod hello.ko printed %q", out)
	}
	if out := p.command("dmesg | grep Hello"); !strings.Contains(out, "Hello World from a module") {
		t.Fatalf("dmesg after insmod: %q", out)
	}
	if out := p.command("cat /proc/modules"); !strings.Contains(out, "hello ") {
		t.Fatalf("/proc/modules after insmod: %q", out)
	}
	p.command("rmmod hello")
	if out := p.command("cat /proc/modules"); strings.Contains(out, "hello ") {
		t.Fatalf("/proc/modules after rmmod: %q", out)
	}
	if out := p.command("dmesg | grep Bye"); !strings.Contains(out, "Bye from a module") {
		t.Fatalf("dmesg after rmmod: %q", out)
	}
	if out := p.command("lab"); !strings.Contains(out, "insmod hello") || !strings.Contains(out, "rmmod hello") {
		t.Fatalf("lab lists %q, want the spec's two steps", out)
	}

	// Ctrl-C reaches the guest: the sleep ends, the shell stays.
	from := len(p.screen())
	p.send("sleep 300 && echo SL\"\"EPT")
	time.Sleep(2 * time.Second)
	p.run("send-keys", "-t", "0", "C-c")
	time.Sleep(time.Second) // the shell prints its prompt again
	if out := p.command("echo still here"); !strings.Contains(out, "still here") {
		t.Fatalf("after Ctrl-C: %q", out)
	}
	if strings.Contains(p.screen()[from:], "\nSLEPT") {
		t.Fatal("Ctrl-C did not interrupt the guest's sleep")
	}

	p.run("send-keys", "-t", "0", "C-d")
	t.Logf("terminal:\n%s", p.waitFor(0, "EXIT=0", 2*time.Minute))
	p.send("stty -g > after.stty; echo DO\"\"NE")
	p.waitFor(0, "\nDONE", 30*time.Second)
	before, _ := os.ReadFile(filepath.Join(dir, "before.stty"))
	after, _ := os.ReadFile(filepath.Join(dir, "after.stty"))
	if len(before) == 0 || !bytes.Equal(before, after) {
		log, _ := os.ReadFile(filepath.Join(dir, "shell.log"))
		t.Fatalf("the terminal was not restored: stty -g before %q, after %q\nlkmlab's log:\n%s", before, after, log)
	}
}
