package agent

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/plan"
)

func TestLinkCommands(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "bbin")
	os.MkdirAll(bin, 0o755)
	cfg := &plan.Shell{Busybox: filepath.Join(bin, "bb"), Commands: []string{"ls", "insmod", "../escape", ""}, Shell: "gosh"}
	if err := linkCommands(cfg); err == nil || !strings.Contains(err.Error(), "no u-root commands") {
		t.Fatalf("no busybox: %v", err)
	}
	os.WriteFile(cfg.Busybox, []byte("bb"), 0o755)
	for range 2 { // a second session in the same guest finds the links there
		if err := linkCommands(cfg); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range map[string]string{"ls": "bb", "insmod": "bb"} {
		if got, err := os.Readlink(filepath.Join(bin, name)); err != nil || got != want {
			t.Errorf("%s -> %q, %v; want %q", name, got, err, want)
		}
	}
	if self, _ := os.Executable(); self != "" {
		if got, _ := os.Readlink(filepath.Join(bin, "lab")); got != self {
			t.Errorf("lab -> %q, want the agent %q", got, self)
		}
	}
	if _, err := os.Lstat(filepath.Join(filepath.Dir(bin), "escape")); err == nil {
		t.Error("a command name with a slash was linked outside the busybox's folder")
	}
}
