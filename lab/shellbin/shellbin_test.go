package shellbin_test

import (
	"debug/elf"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/shellbin"
)

// TestEmbeddedCurrent fails when the embedded busyboxes were built from
// another u-root than go.mod's, or another command list: run the
// generator and commit lab/shellbin.
func TestEmbeddedCurrent(t *testing.T) {
	in, err := shellbin.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(in.Commands, shellbin.Commands) || in.Tags != shellbin.Tags {
		t.Fatalf("%s records commands %v (tags %q); the package lists %v (tags %q): run 'go run ./lab/shellbin/gen'",
			shellbin.InfoFile, in.Commands, in.Tags, shellbin.Commands, shellbin.Tags)
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}", "github.com/u-root/u-root").Output()
	if err != nil {
		t.Skipf("go list -m: %v (comparing with go.mod needs the Go toolchain and the repository)", err)
	}
	if v := strings.TrimSpace(string(out)); v != in.URoot {
		t.Fatalf("the embedded u-root commands are u-root %s, go.mod has %s: run 'go run ./lab/shellbin/gen' and commit %s", in.URoot, v, shellbin.Dir)
	}
}

// TestExtract extracts each busybox and checks it is a static executable
// for its architecture; a second extraction reuses the first.
func TestExtract(t *testing.T) {
	machines := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}
	cache := t.TempDir()
	for _, arch := range shellbin.Arches {
		p, sum, err := shellbin.Extract(arch, cache)
		if err != nil {
			t.Fatal(err)
		}
		f, err := elf.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, prog := range f.Progs {
			if prog.Type == elf.PT_INTERP {
				t.Errorf("%s: dynamically linked; the guest has no libc", arch)
			}
		}
		if f.Machine != machines[arch] {
			t.Errorf("%s: built for %v", arch, f.Machine)
		}
		f.Close()
		again, sum2, err := shellbin.Extract(arch, cache)
		if err != nil || again != p || sum2 != sum || filepath.Dir(p) != cache {
			t.Errorf("%s: second extraction %s %s %v, want %s %s", arch, again, sum2, err, p, sum)
		}
	}
	if _, _, err := shellbin.Extract("riscv64", cache); err == nil || !strings.Contains(err.Error(), "amd64") {
		t.Errorf("an architecture without a busybox: %v", err)
	}
}

func TestInfoRoundTrip(t *testing.T) {
	in := shellbin.Info{URoot: "v1", Gobusybox: "v2", Go: "go1", Tags: "x", Commands: []string{"cmds/core/ls", "cmds/core/cat"},
		SHA256: map[string]string{"amd64": "ab"}}
	got, err := shellbin.ParseInfo(in.Format())
	if err != nil || got.Key() != in.Key() || got.SHA256["amd64"] != "ab" || got.Go != "go1" {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	if _, err := shellbin.ParseInfo([]byte("color blue\n")); err == nil {
		t.Error("an unknown key was accepted")
	}
	if n := shellbin.Names(); n[0] != "gosh" || !slices.Contains(n, "insmod") || !slices.Contains(n, "watch") {
		t.Errorf("Names() = %v", n)
	}
}
