package kbuild

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// fakeTree writes a tree whose include/config/auto.conf holds conf.
func fakeTree(t *testing.T, conf string) string {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "include", "config"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "include", "config", "auto.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestToolchainFor(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("the table is written for an amd64 host")
	}
	if _, err := exec.LookPath("gcc-12"); err != nil {
		t.Skip("gcc-12 not installed: apt-get install gcc-12")
	}
	tests := []struct {
		name, conf string
		want       []string
		note       string
	}{
		{"native, same gcc", "CONFIG_X86_64=y\nCONFIG_GCC_VERSION=120200\n", []string{"CC=gcc-12"}, ""},
		{"native, a gcc not installed", "CONFIG_X86_64=y\nCONFIG_GCC_VERSION=20101\n", []string{"CC=gcc-12"}, "gcc-2, which is not installed"},
		{"unconfigured tree", "", nil, ""},
	}
	if _, err := exec.LookPath("aarch64-linux-gnu-gcc-12"); err == nil {
		tests = append(tests, struct {
			name, conf string
			want       []string
			note       string
		}{"arm64 on amd64", "CONFIG_ARM64=y\nCONFIG_GCC_VERSION=120200\n",
			[]string{"ARCH=arm64", "CROSS_COMPILE=aarch64-linux-gnu-", "CC=aarch64-linux-gnu-gcc-12"}, ""})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ToolchainFor(fakeTree(t, tc.conf))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Args(), tc.want) {
				t.Errorf("Args = %q, want %q", got.Args(), tc.want)
			}
			if tc.note == "" && got.Note != "" || !strings.Contains(got.Note, tc.note) {
				t.Errorf("Note = %q, want one containing %q", got.Note, tc.note)
			}
		})
	}
}

func TestToolchainMissingCrossCompiler(t *testing.T) {
	if _, err := exec.LookPath("aarch64-linux-gnu-gcc-12"); err == nil || runtime.GOARCH != "amd64" {
		t.Skip("needs an amd64 host without gcc-aarch64-linux-gnu")
	}
	_, err := ToolchainFor(fakeTree(t, "CONFIG_ARM64=y\nCONFIG_GCC_VERSION=120200\n"))
	if err == nil || !strings.Contains(err.Error(), "apt-get install gcc-aarch64-linux-gnu") {
		t.Fatalf("err = %v, want the package to install", err)
	}
}
