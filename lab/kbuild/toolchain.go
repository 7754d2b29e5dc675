package kbuild

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// Toolchain is how make must be told to compile for a kernel tree: its
// architecture, the cross-compiler prefix when that is not the host's, and
// the C compiler, since Debian's trees name the one their kernel was built
// with (gcc-10 for bullseye's 5.10, which bookworm does not ship).
type Toolchain struct {
	Arch  string // GOARCH of the tree: "amd64", "arm64"
	Cross string // CROSS_COMPILE, "" for a native build
	CC    string // the compiler to use; "" leaves the tree's choice
	// Note says why the compiler differs from the kernel's, for the log;
	// "" when it is the same.
	Note string
}

// Args are make's arguments for t.
func (t Toolchain) Args() []string {
	var args []string
	if t.Cross != "" {
		args = append(args, "ARCH="+kbuildArch[t.Arch], "CROSS_COMPILE="+t.Cross)
	}
	if t.CC != "" {
		args = append(args, "CC="+t.CC)
	}
	return args
}

// kbuildArch is the kernel's ARCH= for a GOARCH.
var kbuildArch = map[string]string{"amd64": "x86", "arm64": "arm64"}

// crossPrefix is Debian's cross-compiler prefix for a GOARCH.
var crossPrefix = map[string]string{"amd64": "x86_64-linux-gnu-", "arm64": "aarch64-linux-gnu-"}

// crossPackage is the Debian package of that cross-compiler.
var crossPackage = map[string]string{"amd64": "gcc-x86-64-linux-gnu", "arm64": "gcc-aarch64-linux-gnu"}

// ToolchainFor reads kdir's configuration and picks the compiler: the
// kernel's own gcc major version when it is installed (with the
// architecture's prefix), else the newest installed gcc, with a note. A
// tree that says nothing (not a configured tree) builds natively.
func ToolchainFor(kdir string) (Toolchain, error) {
	conf := readAutoConf(kdir)
	t := Toolchain{Arch: treeArch(conf)}
	if t.Arch != runtime.GOARCH {
		t.Cross = crossPrefix[t.Arch]
	}
	major := gccMajor(conf)
	if major == 0 {
		if t.Cross != "" {
			t.CC = t.Cross + "gcc"
		}
		return t, nil
	}
	want := fmt.Sprintf("%sgcc-%d", t.Cross, major)
	if _, err := exec.LookPath(want); err == nil {
		t.CC = want
		return t, nil
	}
	have := newestGCC(t.Cross)
	if have == "" {
		pkg := "gcc-12"
		if t.Cross != "" {
			pkg = crossPackage[t.Arch]
		}
		return t, fmt.Errorf("find a compiler for %s (%s): neither %s nor another %sgcc-N is installed: apt-get install %s",
			kdir, t.Arch, want, t.Cross, pkg)
	}
	t.CC = have
	t.Note = fmt.Sprintf("the kernel was built with %s, which is not installed; compiling with %s", want, have)
	return t, nil
}

// treeArch is the GOARCH of a tree's configuration; the host's when it
// does not say.
func treeArch(conf map[string]string) string {
	switch {
	case conf["CONFIG_ARM64"] == "y":
		return "arm64"
	case conf["CONFIG_X86_64"] == "y":
		return "amd64"
	}
	return runtime.GOARCH
}

// gccMajor is the major version of the gcc a tree was configured with
// (CONFIG_GCC_VERSION=120200 is 12), 0 when it does not say.
func gccMajor(conf map[string]string) int {
	v, err := strconv.Atoi(conf["CONFIG_GCC_VERSION"])
	if err != nil || v < 10000 {
		return 0
	}
	return v / 10000
}

// newestGCC finds the highest prefix+"gcc-N" on PATH.
func newestGCC(prefix string) string {
	for n := 20; n >= 8; n-- {
		name := fmt.Sprintf("%sgcc-%d", prefix, n)
		if _, err := exec.LookPath(name); err == nil {
			return name
		}
	}
	return ""
}

// readAutoConf reads the KEY=value lines of kdir's include/config/auto.conf
// (the configuration every module build reads), nil when it has none.
func readAutoConf(kdir string) map[string]string {
	f, err := os.Open(filepath.Join(kdir, "include", "config", "auto.conf"))
	if err != nil {
		return nil
	}
	defer f.Close()
	conf := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && strings.HasPrefix(k, "CONFIG_") {
			conf[k] = strings.Trim(v, `"`)
		}
	}
	return conf
}
