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

// TestAssignmentKernel: the assignment's kernel is graded on unless
// --kernel names another; a kernel lkmlab does not know is refused.
func TestAssignmentKernel(t *testing.T) {
	for _, c := range []struct{ flag, assigned, want string }{
		{"", "", ""}, {"", "debian-5.10", "debian-5.10"}, {"debian-6.12", "debian-5.10", "debian-6.12"},
		{"debian-6.12", "", "debian-6.12"},
	} {
		if got, err := assignmentKernel(c.flag, c.assigned); err != nil || got != c.want {
			t.Errorf("assignmentKernel(%q, %q) = %q, %v, want %q", c.flag, c.assigned, got, err, c.want)
		}
	}
	if _, err := assignmentKernel("", "debian-4.19"); err == nil || !strings.Contains(err.Error(), "debian-4.19") {
		t.Errorf("assignmentKernel took an unknown kernel: %v", err)
	}
}
