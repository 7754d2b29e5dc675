package tests

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab"
	"github.com/lkmlab/lkmlab/lab/debug"
)

// TestDebugStopsInInit runs lkmlab debug with gdb in batch mode on a
// module whose init keeps a local variable: gdb stops in the init before
// it runs, with the module's symbols where the kernel put it, steps over
// the assignment and prints the local; then the guest goes on and the
// module's steps end as they should.
func TestDebugStopsInInit(t *testing.T) {
	need(t, "gdb", "gdb")
	k := lab.RequireVM(t, debug.DefaultKernel)
	cli := lkmlabCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli, "debug", "--kernel", k.Name, "--modules", "testdata/debug", "--batch",
		"--ex", "next", "--ex", "print answer", "--ex", "info frame", "--ex", "bt 3", "answer")
	out, err := cmd.CombinedOutput()
	t.Logf("lkmlab debug:\n%s", out)
	if err != nil {
		t.Fatalf("lkmlab debug: %v", err)
	}
	text := string(out)
	// gdb names the function and the source line it stopped at, from the
	// module's own debug info: the symbols sit where the module does.
	for _, want := range []string{
		"hit Breakpoint 1, answer_init () at ",
		"volatile int answer = 6 * 7;", // the source line, found through the module's folder
		"$1 = 42",
		"rip = 0xffffffff",
		"in answer_init (",
		"do_one_initcall", // the caller, from vmlinux: the kernel's symbols are where it runs
		"step 0 (insmod answer): ok",
		"answer: 42",
		"step 1 (rmmod answer): ok",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("lkmlab debug's output lacks %q", want)
		}
	}
	// The breakpoint was hit before the init printed: gdb's stop comes
	// first in the output, the init's line after the guest went on.
	if i, j := strings.Index(text, "$1 = 42"), strings.Index(text, "answer: 42"); i < 0 || j < i {
		t.Errorf("the init printed before gdb stopped in it (gdb at %d, the init's line at %d)", i, j)
	}
}
