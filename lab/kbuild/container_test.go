package kbuild

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestContainerModeBuildsAsNobody: with LKMLAB_SANDBOX=container a build
// runs as nobody, with no new privileges and an empty environment, can
// write its own folder and cannot read a file only root reads.
func TestContainerModeBuildsAsNobody(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("container mode drops from root to nobody: run as root")
	}
	if _, err := exec.LookPath("setpriv"); err != nil {
		t.Skip("setpriv not found: apt-get install util-linux")
	}
	t.Setenv("LKMLAB_SANDBOX", "container")
	t.Setenv("LKMLAB_GRADER_CANARY", "grader-secret-4f1c")
	base := filepath.Join(os.TempDir(), "lkmlab-container-test")
	os.RemoveAll(base)
	if err := os.MkdirAll(base, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	secret := filepath.Join(base, "secret")
	if err := os.WriteFile(secret, []byte("solution"), 0o600); err != nil {
		t.Fatal(err)
	}
	// lkmlab's own folders above the build are 0700, as MkdirTemp makes
	// them: nobody must still reach the build.
	work := filepath.Join(base, "grade", "work")
	if err := os.MkdirAll(work, 0o700); err != nil || os.Chmod(filepath.Dir(work), 0o700) != nil {
		t.Fatal(err)
	}
	script := `id -u; grep NoNewPrivs /proc/self/status; env; echo x > ` + work + `/out && echo wrote; cat ` + secret + ` || echo denied`
	out, _, err := execute(t.Context(), work, []string{"sh", "-c", script}, Options{Sandbox: &Sandbox{}, Timeout: time.Minute})
	if err != nil {
		t.Fatalf("container build: %v\n%s", err, out)
	}
	for _, want := range []string{"65534\n", "NoNewPrivs:\t1", "PATH=/usr/bin:/bin", "wrote", "denied"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "grader-secret") || strings.Contains(string(out), "solution") {
		t.Errorf("the build saw the grader's environment or files:\n%s", out)
	}
}
