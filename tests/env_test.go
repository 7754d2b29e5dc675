// Package tests boots VMs: every test here runs modules in a real guest.
package tests

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab"
	"github.com/lkmlab/lkmlab/lab/check"
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

// kernelMatrix lists the kernels the seed modules are checked on:
// LKMLAB_KERNELS (comma-separated), else LKMLAB_KERNEL, else the default.
func kernelMatrix() []string {
	if v := os.Getenv("LKMLAB_KERNELS"); v != "" {
		return strings.Split(v, ",")
	}
	return []string{os.Getenv("LKMLAB_KERNEL")}
}

// loadTargets loads module folders, failing the test on any error.
func loadTargets(t *testing.T, dirs ...string) []check.Target {
	t.Helper()
	var targets []check.Target
	for _, dir := range dirs {
		tg, err := check.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, tg)
	}
	return targets
}
