package tests

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/check"
	"github.com/lkmlab/lkmlab/lab/kbuild"
)

// TestSeedModulesBuildCleanAtW1 builds the seed modules with the kernel's
// extra warnings (W=1): a reviewer's compiler says nothing.
func TestSeedModulesBuildCleanAtW1(t *testing.T) {
	k := needVM(t)
	targets, err := check.LoadAll("../modules", nil)
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	for _, tg := range targets {
		t.Run(tg.Name, func(t *testing.T) {
			var out strings.Builder
			_, err := kbuild.Build(context.Background(), tg.Dir, k.BuildDir,
				kbuild.Options{WorkDir: filepath.Join(work, "w1"), ExtraArgs: []string{"W=1"}, Output: &out})
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range strings.Split(out.String(), "\n") {
				if strings.Contains(l, "warning:") {
					t.Errorf("W=1: %s", l)
				}
			}
		})
	}
}
