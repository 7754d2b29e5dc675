package tests

import (
	"path/filepath"
	"testing"

	"github.com/lkmlab/lkmlab/lab/initramfs"
)

// TestSupportModulesInDependencyOrder resolves the panic driver against the
// real kernel's modules: its dependency must come first.
func TestSupportModulesInDependencyOrder(t *testing.T) {
	k := needVM(t)
	files, err := initramfs.SupportModules(k.ModulesDir, "pvpanic-mmio")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f.Guest))
	}
	if len(names) != 2 || names[0] != "pvpanic.ko" || names[1] != "pvpanic-mmio.ko" {
		t.Fatalf("support modules %v, want [pvpanic.ko pvpanic-mmio.ko]", names)
	}
}
