package kbuild

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/command"
)

// needSandbox skips when bubblewrap cannot run here, saying what to
// install; LKMLAB_REQUIRE_VM=1 (CI) makes that a failure.
func needSandbox(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"bwrap", "prlimit"} {
		if _, err := exec.LookPath(tool); err != nil {
			skipOrFail(t, tool+" not found: apt-get install bubblewrap util-linux")
		}
	}
}

// needGroup skips when this host gives no writable cgroup with a memory
// limit, saying why.
func needGroup(t *testing.T) {
	t.Helper()
	needSandbox(t)
	g, why := acquireGroup(&Sandbox{Group: "probe"})
	if g == nil {
		skipOrFail(t, "no writable cgroup here: "+why)
	}
	releaseGroup(g)
}

func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("LKMLAB_REQUIRE_VM") == "1" {
		t.Fatal(why)
	}
	t.Skip(why)
}

// inSandbox runs a shell script as a build would run make.
func inSandbox(t *testing.T, s *Sandbox, timeout time.Duration, script string) (string, string, error) {
	t.Helper()
	var notes []string
	out, stopped, err := execute(context.Background(), t.TempDir(), []string{"sh", "-c", script},
		Options{Sandbox: s, Timeout: timeout, Logf: func(f string, a ...any) { notes = append(notes, f) }})
	if len(notes) > 0 {
		t.Logf("notes: %q", notes)
	}
	return string(out), stopped, err
}

func TestSandboxShowsNothingOfTheGrader(t *testing.T) {
	needSandbox(t)
	t.Setenv("LKMLAB_GRADER_CANARY", "grader-secret-4f1c")
	script := `echo "proc=$(ls -A /proc 2>/dev/null | wc -l)"; cat /proc/1/environ /proc/config.gz /proc/cmdline 2>/dev/null
echo env:; env`
	out, _, err := inSandbox(t, &Sandbox{}, time.Minute, script)
	if err != nil {
		t.Fatalf("sandbox: %v\n%s", err, out)
	}
	if strings.Contains(out, "grader-secret") {
		t.Errorf("the grader's environment leaks into the sandbox:\n%s", out)
	}
	// No /proc at all: a fresh one is the host's kernel (its command line
	// and configuration, its devices), which a source can .incbin.
	for _, want := range []string{"proc=0\n", "env:\n", "PATH=/usr/bin:/bin", "HOME=/tmp"} {
		if !strings.Contains(out, want) {
			t.Errorf("sandbox output lacks %q:\n%s", want, out)
		}
	}
	if before, _, _ := strings.Cut(out, "env:\n"); strings.Count(before, "\n") != 1 {
		t.Errorf("the sandbox read host files from /proc:\n%s", before)
	}
	_, env, _ := strings.Cut(out, "env:\n")
	for _, kv := range strings.Fields(env) {
		if name, _, _ := strings.Cut(kv, "="); name != "PATH" && name != "HOME" && name != "PWD" && name != "SHLVL" && name != "_" {
			t.Errorf("sandbox environment has %s", kv)
		}
	}
}

func TestSandboxGroupStopsMemoryHogs(t *testing.T) {
	needGroup(t)
	// Three hogs of 200 MiB each: each is well under the 256 MiB a
	// per-process limit would allow, together they are over the group's.
	// Like make after a compiler was killed, the script then fails.
	script := `for i in 1 2 3; do (head -c 200M /dev/zero | tail -c 200M >/dev/null && echo survived) & done; wait; exit 2`
	out, stopped, err := inSandbox(t, &Sandbox{MemoryBytes: 256 << 20, Group: "hogs"}, time.Minute, script)
	if n := strings.Count(out, "survived"); n == 3 {
		t.Fatalf("all three hogs survived a 256 MiB group limit (%v):\n%s", err, out)
	}
	if !strings.Contains(stopped, "memory limit (256 MiB") {
		t.Errorf("stopped = %q, want the memory limit named", stopped)
	}
}

func TestSandboxGroupLimitsProcesses(t *testing.T) {
	needGroup(t)
	script := `i=0; while [ $i -lt 60 ]; do sleep 30 & i=$((i+1)); done; echo forked-all`
	out, stopped, _ := inSandbox(t, &Sandbox{Processes: 20}, time.Minute, script)
	if strings.Contains(out, "forked-all") && stopped == "" {
		t.Fatalf("60 processes started under a limit of 20:\n%s", out)
	}
	if !strings.Contains(stopped, "process limit (20") {
		t.Errorf("stopped = %q, want the process limit named", stopped)
	}
}

func TestSandboxTimeoutKillsTheBuild(t *testing.T) {
	needSandbox(t)
	// A source that includes a FIFO or /dev/stdin, or a $(shell) loop,
	// blocks a build with no CPU use: only the wall clock ends it.
	out, stopped, err := inSandbox(t, &Sandbox{Group: "slow"}, 500*time.Millisecond, "sleep 1000 & sleep 1000; wait")
	var ce *command.Error
	if !errors.As(err, &ce) || ce.How != command.TimedOut {
		t.Fatalf("err = %v, want a timeout\n%s", err, out)
	}
	if stopped != "its time limit (500ms)" {
		t.Errorf("stopped = %q", stopped)
	}
	groups.Lock()
	live := len(groups.live)
	groups.Unlock()
	if live != 0 {
		t.Errorf("%d cgroups still live after the build", live)
	}
}

func TestSandboxGroupsAreSharedByName(t *testing.T) {
	needGroup(t)
	a, _ := acquireGroup(&Sandbox{Group: "student-a"})
	a2, _ := acquireGroup(&Sandbox{Group: "student-a"})
	b, _ := acquireGroup(&Sandbox{Group: "student-b"})
	anon, _ := acquireGroup(&Sandbox{})
	defer func() {
		for _, g := range []*group{a, a2, b, anon} {
			releaseGroup(g)
		}
	}()
	if a != a2 || a.refs != 2 {
		t.Errorf("two builds of one student got different groups")
	}
	if a == b || a == anon || b == anon {
		t.Errorf("different students share a group")
	}
	for _, d := range a.dirs {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("group folder: %v", err)
		}
	}
}

func TestSandboxFallsBackToPerProcessLimits(t *testing.T) {
	needSandbox(t)
	// A host whose cgroup files cannot be read: no group anywhere.
	groups.Lock()
	savedFS, savedHosts := groups.fs, groups.hosts
	groups.fs, groups.hosts = cgfs{root: t.TempDir()}, map[string]*cgroupHost{}
	fallbackNote = sync.Once{}
	groups.Unlock()
	defer func() {
		groups.Lock()
		groups.fs, groups.hosts = savedFS, savedHosts
		groups.Unlock()
	}()
	var notes []string
	for range 2 {
		out, _, err := execute(context.Background(), t.TempDir(), []string{"sh", "-c", "ulimit -v"},
			Options{Sandbox: &Sandbox{MemoryBytes: 512 << 20}, Logf: func(f string, a ...any) { notes = append(notes, fmt.Sprintf(f, a...)) }})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(string(out)); got != "524288" {
			t.Errorf("ulimit -v in the sandbox = %q, want the per-process limit 524288 KiB", got)
		}
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "no cgroup for whole-build limits") || !strings.Contains(notes[0], "512 MiB") {
		t.Errorf("notes = %q, want one saying the limits are per process", notes)
	}
}
