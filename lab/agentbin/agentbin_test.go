package agentbin_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/agentbin"
	"github.com/lkmlab/lkmlab/lab/agentbin/agentgen"
)

// TestSourcesCurrent fails when guest/ (or what it imports) changed after
// the embedded agent was generated: the commit must carry a fresh agent.
func TestSourcesCurrent(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		t.Skipf("go list -m: %v (the staleness check needs the Go toolchain and the repository)", err)
	}
	root := strings.TrimSpace(string(out))
	got, err := agentgen.SourceHash(context.Background(), "go", root)
	if err != nil {
		t.Fatal(err)
	}
	in, err := agentbin.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if got != in.Source {
		t.Fatalf("the embedded guest agent is stale: %s records sources %s, the tree has %s: run 'make agent' and commit %s",
			agentbin.InfoFile, in.Source, got, agentbin.Dir)
	}
}

// TestEmbeddedBinaries checks each embedded agent against its recorded
// digest, and that it is a static executable for its architecture.
func TestEmbeddedBinaries(t *testing.T) {
	machines := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}
	for _, arch := range agentbin.Arches {
		t.Run(arch, func(t *testing.T) {
			want, err := agentbin.SHA256(arch)
			if err != nil {
				t.Fatal(err)
			}
			rc, err := agentbin.Open(arch)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			if cerr := rc.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b)
			if got := hex.EncodeToString(sum[:]); got != want {
				t.Fatalf("sha256 %s, %s records %s: run 'make agent'", got, agentbin.InfoFile, want)
			}
			f, err := elf.NewFile(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if f.Machine != machines[arch] {
				t.Errorf("machine %v, want %v", f.Machine, machines[arch])
			}
			for _, p := range f.Progs {
				if p.Type == elf.PT_INTERP {
					t.Error("the agent has an ELF interpreter: it must be static (CGO_ENABLED=0)")
				}
			}
		})
	}
	if _, err := agentbin.SHA256("riscv64"); err == nil {
		t.Error("SHA256(riscv64): no error for an architecture that is not embedded")
	}
}

func TestParseInfo(t *testing.T) {
	tests := []struct {
		name, in string
		want     agentbin.Info
		wantErr  string
	}{
		{name: "full", in: "# c\nsource abc\ngo go1.26.8\nlinux/amd64 11\nlinux/arm64 22\n",
			want: agentbin.Info{Source: "abc", Go: "go1.26.8", SHA256: map[string]string{"amd64": "11", "arm64": "22"}}},
		{name: "blank lines", in: "\n\nsource abc\n", want: agentbin.Info{Source: "abc", SHA256: map[string]string{}}},
		{name: "no value", in: "source\n", wantErr: "line 1"},
		{name: "unknown key", in: "source a\nflavour b\n", wantErr: `unknown key "flavour"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := agentbin.ParseInfo([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Source != tt.want.Source || got.Go != tt.want.Go || len(got.SHA256) != len(tt.want.SHA256) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for k, v := range tt.want.SHA256 {
				if got.SHA256[k] != v {
					t.Errorf("SHA256[%s] = %q, want %q", k, got.SHA256[k], v)
				}
			}
			again, err := agentbin.ParseInfo(got.Format())
			if err != nil || again.Source != got.Source || again.SHA256["amd64"] != got.SHA256["amd64"] {
				t.Errorf("Format does not round-trip: %+v, %v", again, err)
			}
		})
	}
}
