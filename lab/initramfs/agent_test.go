package initramfs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/agentbin"
)

func TestAgentExtractsEmbedded(t *testing.T) {
	t.Setenv(AgentEnv, "")
	cache := t.TempDir()
	for _, arch := range agentbin.Arches {
		want, err := agentbin.SHA256(arch)
		if err != nil {
			t.Fatal(err)
		}
		path, sum, err := Agent(arch, cache)
		if err != nil {
			t.Fatal(err)
		}
		if sum != want || !strings.Contains(filepath.Base(path), want) {
			t.Errorf("%s: path %s sum %s, want the embedded agent's %s", arch, path, sum, want)
		}
		if got, err := fileSHA256(path); err != nil || got != want {
			t.Errorf("%s: the extracted file has sha256 %s (%v), want %s", arch, got, err, want)
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode()&0o111 == 0 {
			t.Errorf("%s: the extracted agent is not executable: %v %v", arch, fi, err)
		}
		// A damaged copy in the cache is replaced, not booted.
		if err := os.WriteFile(path, []byte("damaged"), 0o755); err != nil {
			t.Fatal(err)
		}
		if again, _, err := Agent(arch, cache); err != nil || again != path {
			t.Fatalf("%s: second Agent: %s, %v", arch, again, err)
		}
		if got, _ := fileSHA256(path); got != want {
			t.Errorf("%s: a damaged cached agent was kept (sha256 %s)", arch, got)
		}
	}
	if _, _, err := Agent("mips", cache); err == nil {
		t.Error("Agent(mips): no error for an architecture lkmlab does not carry")
	}
}

func TestBuildAgentNeedsNoToolchain(t *testing.T) {
	t.Setenv(AgentEnv, "")
	t.Setenv("PATH", t.TempDir()) // no go
	dir := t.TempDir()
	path, err := BuildAgent(t.Context(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(path) != dir {
		t.Errorf("BuildAgent(dir, \"\") = %s, want a file in %s", path, dir)
	}
}

func TestAgentOverride(t *testing.T) {
	t.Setenv(AgentEnv, "")
	real, sum, err := Agent("amd64", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(t.TempDir(), "agent.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, env, arch string
		archEnv         bool   // env goes in LKMLAB_AGENT_AMD64
		wantErr         string // "" means it is used as is
	}{
		{name: "amd64 binary", env: real, arch: "amd64"},
		{name: "wrong architecture", env: real, arch: "arm64", wantErr: "not linux/arm64"},
		{name: "not ELF", env: script, arch: "amd64", wantErr: "go build"},
		{name: "missing", env: filepath.Join(t.TempDir(), "nothing"), arch: "amd64", wantErr: "unset LKMLAB_AGENT"},
		{name: "per-architecture variable first", env: real, arch: "amd64", archEnv: true},
		{name: "per-architecture variable checked", env: script, arch: "amd64", archEnv: true, wantErr: "unset LKMLAB_AGENT_AMD64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(AgentEnv, tt.env)
			t.Setenv(AgentEnvFor("amd64"), "")
			if tt.archEnv {
				// The general variable names a wrong binary: the
				// architecture's own must win.
				t.Setenv(AgentEnv, script)
				t.Setenv(AgentEnvFor("amd64"), tt.env)
			}
			path, got, err := Agent(tt.arch, t.TempDir())
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || path != tt.env || got != sum {
				t.Fatalf("Agent = %s %s %v, want %s %s", path, got, err, tt.env, sum)
			}
		})
	}
}
