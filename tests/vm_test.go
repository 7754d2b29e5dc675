package tests

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/initramfs"
	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/lkmlab/lkmlab/lab/vm"
)

// TestBootDeadline gives the guest an impossible boot deadline: the host
// must end the VM at once, say the agent never spoke, and report QEMU's
// view of the guest, instead of waiting for the whole run's timeout.
func TestBootDeadline(t *testing.T) {
	k := needVM(t)
	dir := t.TempDir()
	agent, err := initramfs.BuildAgent(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(dir, "initramfs.cpio")
	if err := initramfs.Write(initramfs.Spec{Agent: agent, Plan: &plan.Plan{Nonce: plan.NewNonce()}}, img); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, err := vm.Run(context.Background(), vm.Options{Kernel: k.Image, Initramfs: img,
		BootTimeout: 500 * time.Millisecond, Timeout: 5 * time.Minute, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	if !res.NoBoot || !res.TimedOut || res.Status == "" {
		t.Fatalf("result %+v: want NoBoot and TimedOut with a QEMU status", res)
	}
	if d := time.Since(start); d > time.Minute {
		t.Errorf("the boot deadline took %v to end the VM", d)
	}
}
