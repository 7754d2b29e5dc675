// Package tests boots VMs: every test here runs modules in a real guest.
package tests

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/kernel"
	"github.com/lkmlab/lkmlab/lab/setup"
)

// requireVM is set in CI: a VM test that cannot run fails instead of skipping.
var requireVM = os.Getenv("LKMLAB_REQUIRE_VM") == "1"

// skipOrFail skips with the reason, or fails when CI asks for VMs.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if requireVM {
		t.Fatalf("%s (LKMLAB_REQUIRE_VM=1: VM tests must run)", msg)
	}
	t.Skip(msg)
}

var (
	kernelOnce sync.Once
	kernelVal  *kernel.Kernel
	kernelErr  error
)

// needVM returns the kernel to boot (LKMLAB_KERNEL, default debian-6.1),
// or skips/fails saying what the host lacks.
func needVM(t *testing.T) *kernel.Kernel {
	t.Helper()
	if testing.Short() {
		skipOrFail(t, "VM test skipped in -short mode")
	}
	if miss := setup.Missing(setup.Needs); len(miss) > 0 {
		skipOrFail(t, "host lacks %s: run 'make setup' (apt-get install %s)", strings.Join(miss, ", "), strings.Join(miss, " "))
	}
	kernelOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		kernelVal, kernelErr = kernel.Resolve(ctx, os.Getenv("LKMLAB_KERNEL"), kernel.Options{Logf: t.Logf})
	})
	if kernelErr != nil {
		skipOrFail(t, "no kernel to boot: %v", kernelErr)
	}
	return kernelVal
}

// consoleTo streams guest console lines to t.Logf with times relative to the start.
func consoleTo(t *testing.T) func(string) {
	start := time.Now()
	return func(l string) { t.Logf("[%7.3fs] console: %s", time.Since(start).Seconds(), l) }
}
