// Package examples shows lkmlab's Go API on a module of your own: the
// folder greeter/ holds the module (greeter.c, Kbuild, spec.yaml), and a
// test is one call. (Go does not allow C files beside Go files unless they
// are cgo, so the module sits in its own folder.)
package examples

import (
	"testing"

	"github.com/lkmlab/lkmlab/lab"
)

// TestGreeter builds greeter.c, loads and unloads it in a QEMU guest, and
// checks both steps against spec.yaml: one subtest per step.
func TestGreeter(t *testing.T) {
	lab.Check(t, "greeter")
}

// TestGreeterDefault checks the default name with a spec given inline.
func TestGreeterDefault(t *testing.T) {
	m := lab.Check(t, "greeter", lab.WithSpec(`
steps:
  - action: insmod
    output: ["Hello, world!"]
  - action: rmmod
    output: ["Goodbye, world!"]
`))
	if m.Verdict != "pass" {
		t.Errorf("verdict %s", m.Verdict)
	}
}
