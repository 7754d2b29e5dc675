package tests

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab"
	"github.com/lkmlab/lkmlab/lab/initramfs"
)

// TestSupportModulesInDependencyOrder resolves the panic driver against
// each kernel's modules (compressed ones too: Debian's 6.12 ships .ko.xz):
// its dependency must come first. A kernel without modules (the minimal
// ones build the driver in) has none to find.
func TestSupportModulesInDependencyOrder(t *testing.T) {
	for _, name := range kernelMatrix() {
		t.Run(name, func(t *testing.T) {
			k := lab.RequireVM(t, name)
			if k.ModulesDir == "" {
				t.Skipf("%s has no modules folder: its drivers are built in", k.Name)
			}
			files, err := initramfs.SupportModules(k.ModulesDir, "pvpanic-mmio", "pvpanic")
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range files {
				names = append(names, filepath.Base(f.Guest))
			}
			// Before 5.12 pvpanic.ko drove the device alone.
			want := []string{"pvpanic.ko", "pvpanic-mmio.ko"}
			if strings.HasPrefix(k.Release, "5.10.") {
				want = want[:1]
			}
			if !slices.Equal(names, want) {
				t.Fatalf("support modules %v, want %v", names, want)
			}
		})
	}
}
