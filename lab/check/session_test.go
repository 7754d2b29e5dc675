package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/initramfs"
	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/lkmlab/lkmlab/lab/vm"
)

// TestSessionSnapshots: a session that adds nothing to the image restores
// the check's saved guest; one that adds files (the shell's commands) has
// its own, keyed by those files, apart from the check's kernel folder so
// that neither takes the other's for stale.
func TestSessionSnapshots(t *testing.T) {
	dir := t.TempDir()
	file := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		return p
	}
	image := file("vmlinuz", "kernel")
	rn := &runner{o: Options{Kernel: &kernel.Kernel{Name: "debian-6.1"}, SnapshotDir: filepath.Join(dir, "snaps")},
		agent: file("agent", "agent")}
	vo := vm.Options{Kernel: image, Accel: vm.Accel{Name: "tcg"}}
	if _, err := vm.MachineID(vo); err != nil {
		t.Skipf("the snapshot key names QEMU's binary: %v", err)
	}
	check, err := rn.findSnapshot(vo)
	if err != nil {
		t.Fatal(err)
	}
	same, err := rn.sessionSnapshot(vo, nil)
	if err != nil || same != check {
		t.Fatalf("a session without files of its own: %+v, %v; want the check's %+v", same, err, check)
	}
	bb := file("bb", "busybox 1")
	shell, err := rn.sessionSnapshot(vo, []initramfs.File{{Host: bb, Guest: "/bbin/bb"}})
	if err != nil {
		t.Fatal(err)
	}
	if shell.kernelDir == check.kernelDir || !strings.Contains(shell.dir, ".sessions") {
		t.Fatalf("the shell's snapshot %s shares the check's folder %s", shell.dir, check.kernelDir)
	}
	os.WriteFile(bb, []byte("busybox 2"), 0o644)
	again, _ := rn.sessionSnapshot(vo, []initramfs.File{{Host: bb, Guest: "/bbin/bb"}})
	if again.dir == shell.dir || again.kernelDir != shell.kernelDir {
		t.Fatalf("another busybox, same key %s", again.dir)
	}
}

func TestModuleSteps(t *testing.T) {
	p := &plan.Plan{Steps: []plan.Step{{Module: "a"}, {Module: "b"}, {Module: "a"}, {Module: "b"}}}
	if got := ModuleSteps(p, "b"); len(got) != 2 || got[0] != 1 || got[1] != 3 {
		t.Fatalf("ModuleSteps(b) = %v, want [1 3]", got)
	}
}
