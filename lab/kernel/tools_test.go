package kernel

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	extcmd "github.com/lkmlab/lkmlab/lab/command"
)

func TestRunReturnsStdoutAndQuotesStderr(t *testing.T) {
	out, err := run(context.Background(), command{argv: []string{"sh", "-c", `echo "$X"; echo noise >&2`}, env: []string{"X=extra"}})
	if err != nil || string(out) != "extra\n" {
		t.Fatalf("run = %q, %v; want stdout alone with the extra variable", out, err)
	}
	_, err = run(context.Background(), command{argv: []string{"sh", "-c", "echo E: one >&2; echo E: two >&2; exit 100"}, dir: t.TempDir()})
	var ce *extcmd.Error
	if !errors.As(err, &ce) || ce.Code != 100 || !strings.Contains(err.Error(), "exit status 100: E: one; E: two") {
		t.Fatalf("run error = %v, want exit 100 with the stderr lines", err)
	}
}

func TestStepQuotesLastLinesAndStopsOnCancel(t *testing.T) {
	dir := t.TempDir()
	var log strings.Builder
	b := &minimalBuild{dir: dir, log: &log}
	p := &buildProgress{name: "test", logf: t.Logf}
	err := b.step(context.Background(), "make", dir, p, "sh", "-c", "echo '  CC      init/main.o'; echo 'main.c:1: error: boom'; exit 2")
	if err == nil || !strings.Contains(err.Error(), "make: sh: exit status 2; last lines:") ||
		!strings.Contains(err.Error(), "main.c:1: error: boom") || !strings.Contains(err.Error(), buildLogFile) {
		t.Fatalf("step error = %v", err)
	}
	if p.files() != 1 || !strings.Contains(log.String(), "error: boom") {
		t.Errorf("progress counted %d files, log %q", p.files(), log.String())
	}

	// A cancelled build leaves no compiler behind: the sleeping grandchild
	// stands for one.
	pidFile := filepath.Join(dir, "pid")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err = b.step(ctx, "make", dir, nil, "sh", "-c", fmt.Sprintf("sleep 1000 & echo $! > %s; wait", pidFile))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cancelled step = %v", err)
	}
	pid, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	for range 500 {
		st, err := os.ReadFile("/proc/" + strings.TrimSpace(string(pid)) + "/stat")
		if err != nil || strings.Contains(string(st[strings.LastIndexByte(string(st), ')')+1:]), " Z ") {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the step's grandchild still runs after cancel")
}
