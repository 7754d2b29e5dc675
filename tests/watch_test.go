package tests

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a buffer a command writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestCheckWatch runs lkmlab check --watch on a copy of hello, saves a
// change that breaks its output, and sees the second run report only the
// step whose verdict changed; Ctrl-C (SIGINT) ends the watch cleanly.
func TestCheckWatch(t *testing.T) {
	k := needVM(t)
	cli := lkmlabCLI(t)
	root := t.TempDir()
	dir := filepath.Join(root, "hello")
	os.MkdirAll(dir, 0o755)
	for _, f := range []string{"hello.c", "Kbuild", "spec.yaml"} {
		b, err := os.ReadFile(filepath.Join("../modules/hello", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli, "check", "--watch", "--kernel", k.Name, "--modules", root, "hello")
	var out, errs syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	wait := func(want string) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Minute); !strings.Contains(out.String(), want); time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the watch never said %q; it said:\n%s\nstderr:\n%s", want, out.String(), errs.String())
			}
		}
	}
	wait("watching 1 module folder(s)")
	if !strings.Contains(out.String(), "  hello  insmod hello  PASS") {
		t.Fatalf("first run:\n%s", out.String())
	}
	src, _ := os.ReadFile(filepath.Join(dir, "hello.c"))
	broken := strings.Replace(string(src), "Hello World from a module", "Hello Wrld from a module", 1)
	if broken == string(src) {
		t.Fatal("hello.c does not print the line this test changes")
	}
	if err := os.WriteFile(filepath.Join(dir, "hello.c"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	wait("  hello  insmod hello  PASS -> FAIL")
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the watch did not end cleanly on Ctrl-C: %v\n%s", err, errs.String())
	}
	t.Logf("lkmlab check --watch:\n%s", out.String())
	second := out.String()[strings.Index(out.String(), "watching"):]
	if strings.Count(out.String(), "checked hello") != 2 || strings.Contains(second, "rmmod hello") {
		t.Fatalf("want two runs, the second showing only the insmod's change:\n%s", out.String())
	}
}
