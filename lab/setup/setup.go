// Package setup checks the host for the programs lkmlab runs -> nothing to
// do, an apt-get install it runs, or the exact command for the user to run.
package setup

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// Need is a host file or program and the Debian package that provides it.
type Need struct {
	Path    string // a program name (looked up in PATH) or an absolute file
	Package string
	Why     string
}

// Needs are what `lkmlab check` uses on the host, and what building the
// minimal kernels from source needs.
var Needs = []Need{
	{"qemu-system-x86_64", "qemu-system-x86", "runs the test VM"},
	{"make", "make", "drives Kbuild"},
	{"gcc-12", "gcc-12", "the compiler Debian's 6.1 kernel was built with"},
	{"xz", "xz-utils", "unpacks the kernel image"},
	{"dpkg-deb", "dpkg", "unpacks kernel packages"},
	{"apt-get", "apt", "downloads kernel packages"},
	{"/usr/share/keyrings/debian-archive-keyring.gpg", "debian-archive-keyring", "verifies kernel packages"},
	{"/usr/lib/x86_64-linux-gnu/libelf.so.1", "libelf1", "objtool, run by Kbuild"},
	{"xmllint", "libxml2-utils", "validates JUnit reports in the tests"},
	{"bwrap", "bubblewrap", "confines the build of student code (lkmlab grade)"},
	{"prlimit", "util-linux", "bounds the build's memory and time"},
	{"gcc", "gcc", "builds the minimal kernel"},
	{"flex", "flex", "builds the minimal kernel"},
	{"bison", "bison", "builds the minimal kernel"},
	{"bc", "bc", "builds the minimal kernel"},
	{"/usr/include/gelf.h", "libelf-dev", "builds the minimal kernel (objtool)"},
}

// Missing returns the packages whose files are absent.
func Missing(needs []Need) []string {
	var pkgs []string
	for _, n := range needs {
		if !present(n.Path) {
			pkgs = append(pkgs, n.Package)
		}
	}
	return pkgs
}

func present(p string) bool {
	if strings.HasPrefix(p, "/") {
		_, err := os.Stat(p)
		return err == nil
	}
	_, err := exec.LookPath(p)
	return err == nil
}

// Ensure installs what is missing with apt-get when it can (as root, or
// through sudo without a password), and otherwise returns an error that
// gives the command to run.
func Ensure(ctx context.Context, out io.Writer) error {
	pkgs := Missing(Needs)
	if len(pkgs) == 0 {
		return nil
	}
	install := append([]string{"apt-get", "install", "-y", "--no-install-recommends"}, pkgs...)
	cmdline := strings.Join(install, " ")
	var prefix []string
	switch {
	case os.Geteuid() == 0:
	case exec.Command("sudo", "-n", "true").Run() == nil:
		prefix = []string{"sudo", "-n"}
	default:
		return fmt.Errorf("setup: missing %s; run: sudo apt-get update && sudo %s", strings.Join(pkgs, ", "), cmdline)
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return fmt.Errorf("setup: missing %s and no apt-get to install them: install them with your package manager", strings.Join(pkgs, ", "))
	}
	fmt.Fprintf(out, "lkmlab: installing %s (apt-get)\n", strings.Join(pkgs, " "))
	for _, args := range [][]string{{"apt-get", "update", "-q"}, install} {
		argv := append(append([]string(nil), prefix...), args...)
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("setup: %s: %w (run it by hand to see why)", strings.Join(argv, " "), err)
		}
	}
	if still := Missing(Needs); len(still) > 0 {
		return fmt.Errorf("setup: still missing after apt-get install: %s", strings.Join(still, ", "))
	}
	return nil
}
