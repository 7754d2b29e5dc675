package main

import (
	"flag"
	"io"
	"os"
	"strings"
	"testing"
)

// TestFlagNamedFolderIsRefused: `lkmlab grade *` in a class folder where a
// student named a folder "--out=x" must not grade the class into x.
func TestFlagNamedFolderIsRefused(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.Mkdir("--out=x", 0o755); err != nil {
		t.Fatal(err)
	}
	newFS := func() (*flag.FlagSet, *string) {
		fs := flag.NewFlagSet("grade", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		return fs, fs.String("out", "grades", "")
	}
	fs, out := newFS()
	err := parseFlags(fs, []string{"--out=x", "alice"})
	if err == nil || !strings.Contains(err.Error(), "both a flag and a file") || *out != "grades" {
		t.Fatalf("parseFlags = %v, out %q: want the flag-named folder refused", err, *out)
	}
	fs, out = newFS()
	if err := parseFlags(fs, []string{"--out=y", "--", "--out=x"}); err != nil || *out != "y" || fs.Arg(0) != "--out=x" {
		t.Fatalf("parseFlags after -- = %v, out %q, args %q", err, *out, fs.Args())
	}
}

func TestArchKernel(t *testing.T) {
	for _, c := range []struct{ name, arch, want string }{
		{"", "", ""}, {"", "arm64", "debian-6.1-arm64"}, {"debian-6.12", "arm64", "debian-6.12-arm64"},
		{"debian-6.1-arm64", "arm64", "debian-6.1-arm64"}, {"debian-6.1", "amd64", "debian-6.1"},
	} {
		if got, err := archKernel(c.name, c.arch); err != nil || got != c.want {
			t.Errorf("archKernel(%q, %q) = %q, %v, want %q", c.name, c.arch, got, err, c.want)
		}
	}
	if _, err := archKernel("", "riscv64"); err == nil {
		t.Error("archKernel took riscv64")
	}
}
