// Package tests boots VMs: every test here runs modules in a real guest.
package tests

import (
	"os"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab"
	"github.com/lkmlab/lkmlab/lab/kernel"
)

// needVM returns the kernel to boot (LKMLAB_KERNEL, default debian-6.1),
// or skips/fails saying what the host lacks (see lab.RequireVM).
func needVM(t *testing.T) *kernel.Kernel {
	t.Helper()
	return lab.RequireVM(t, os.Getenv("LKMLAB_KERNEL"))
}

// consoleTo streams guest console lines to t.Logf with times relative to the start.
func consoleTo(t *testing.T) func(string) {
	start := time.Now()
	return func(l string) { t.Logf("[%7.3fs] console: %s", time.Since(start).Seconds(), l) }
}
