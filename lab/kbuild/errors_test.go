package kbuild

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lkmlab/lkmlab/lab/kernel"
)

// TestDiagnosticsHideHostPaths runs on hand-written compiler output in the
// shape gcc gives for a module built from a grader's copy against a kernel
// in lkmlab's cache.
func TestDiagnosticsHideHostPaths(t *testing.T) {
	cache := t.TempDir()
	usr := filepath.Join(cache, "kernels", "debian-6.1.0-57-amd64", "root", "usr", "src")
	kdir := filepath.Join(usr, "linux-headers-6.1.0-57-amd64")
	common := filepath.Join(usr, "linux-headers-6.1.0-57-common")
	for _, d := range []string{kdir, common} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	work := "/grader/.work/s1/check/build"
	copyDir := work + "/one-12/running"
	e := &Error{Module: "running", Src: "/grader/.work/s1/tasks/running", Dir: copyDir, Err: errors.New("exit status 2"),
		Names: map[string]string{"running.c": "lab2/lkm1.c", "heap/heap.c": "lab2/lkm2.c"},
		hide:  hostPaths(kdir, work, nil),
		Output: "make: Entering directory '" + kdir + "'\n" +
			"In file included from " + copyDir + "/running.c:2:\n" +
			copyDir + "/lkm.h:1:20: error: initializer element is not computable at load time\n" +
			common + "/include/linux/list.h:11:3: error: unknown type name 'spinlock_t'\n" +
			copyDir + "/running.c:3:42: error: expected ')' before numeric constant\n" +
			"running.c:4:1: warning: relative path as newer kernels print it\n" +
			"/grader/.work/s1/check/build/other/x.c:1:1: error: the work folder\n" +
			copyDir + "/running.c.orig:1:1: error: a longer name keeps its own\n",
	}
	got := strings.Join(e.Diagnostics(), "\n")
	for _, want := range []string{
		"lkm.h:1:20: error: initializer",
		"<kernel>/include/linux/list.h:11:3: error",
		"lab2/lkm1.c:3:42: error: expected",
		"lab2/lkm1.c:4:1: warning",
		"<work>/other/x.c:1:1: error",
		"running.c.orig:1:1: error",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, got)
		}
	}
	for _, host := range []string{cache, "/grader", "lab2/lkm2.c"} {
		if strings.Contains(e.Error(), host) {
			t.Errorf("Error() shows %q:\n%s", host, e.Error())
		}
	}
}

func TestScrubMatchesWholePathsOnce(t *testing.T) {
	rs := []relabel{{old: "/w/m", new: "m", dir: true}, {old: "a.h", new: "b.h"}, {old: "b.h", new: "c.h"}, {old: "/root", new: "~", dir: true}}
	for in, want := range map[string]string{
		"/w/m/a.c:1: x":           "m/a.c:1: x",
		"/w/mm/a.c:1":             "/w/mm/a.c:1", // another folder
		"x/w/m/a.c":               "x/w/m/a.c",   // inside a longer path
		"a.h:1 b.h:2":             "b.h:1 c.h:2", // one pass: no chains
		"'/root' and /root/.c":    "'~' and ~/.c",
		"/rootfs/x":               "/rootfs/x",
		"make: Entering '/w/m'":   "make: Entering 'm'",
		"mod_a.h: not the header": "mod_a.h: not the header",
	} {
		if got := scrub(in, rs); got != want {
			t.Errorf("scrub(%q) = %q, want %q", in, got, want)
		}
	}
}

// cachedKernel returns a kernel already in lkmlab's cache, or skips saying
// how to fetch one; LKMLAB_REQUIRE_VM=1 makes that a failure.
func cachedKernel(t *testing.T) *kernel.Kernel {
	t.Helper()
	name := os.Getenv("LKMLAB_KERNEL")
	if name == "" {
		name = kernel.DefaultName
	}
	entries, err := kernel.List(kernel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name == name && e.Cached {
			k, err := kernel.Resolve(context.Background(), name, kernel.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return k
		}
	}
	skipOrFail(t, "kernel "+name+" is not in the cache: run 'lkmlab kernel --kernel "+name+"' (downloads about 85 MB)")
	return nil
}

// graderSandbox confines a build to k's tree, as the grader does.
func graderSandbox(k *kernel.Kernel, group string) *Sandbox {
	root := k.BuildDir
	if i := strings.Index(root, "/root/usr/src/"); i >= 0 {
		root = root[:i]
	}
	return &Sandbox{ReadOnly: []string{root}, Group: group}
}

func TestBuildErrorNamesTheStudentsFile(t *testing.T) {
	k := cachedKernel(t)
	needSandbox(t)
	src := filepath.Join(t.TempDir(), "running")
	files := map[string]string{
		"Kbuild": "obj-m := running.o\n",
		// spinlock_t redefined breaks a kernel header: its error names a
		// file in the kernel tree, which must not show the cache path.
		"running.c": "#define spinlock_t 42\n#include <linux/module.h>\n#include \"lkm.h\"\n" +
			"static int __init r_init(void) { return undeclared_thing; }\nmodule_init(r_init);\nMODULE_LICENSE(\"GPL\");\n",
		"lkm.h": "static int lkm_h = \"x\";\n",
	}
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	for n, body := range files {
		if err := os.WriteFile(filepath.Join(src, n), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	work := t.TempDir()
	_, err := Build(context.Background(), src, k.BuildDir, Options{WorkDir: work,
		Sandbox: graderSandbox(k, "student-1"), Names: map[string]string{"running.c": "lab2/lkm1.c"}, Logf: t.Logf})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Build = %v, want a build error", err)
	}
	diags := strings.Join(e.Diagnostics(), "\n")
	for _, want := range []string{"lab2/lkm1.c:4:", "undeclared_thing", "lkm.h:1:", "<kernel>/include/"} {
		if !strings.Contains(diags, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, diags)
		}
	}
	// Every line people may see: the message, and the whole output once
	// relabelled (the fallback shows its last lines).
	var all []string
	for _, l := range strings.Split(e.Output, "\n") {
		all = append(all, scrub(l, e.relabels()))
	}
	seen := e.Error() + "\n" + strings.Join(all, "\n")
	home, _ := os.UserHomeDir()
	for _, host := range []string{kernel.DefaultCacheDir(), work, src, home, "running.c"} {
		if host != "" && strings.Contains(seen, host) {
			t.Errorf("build output shows the host path %q", host)
		}
	}
}

// A source that includes /proc/self/fd/1 makes the compiler read its own
// output: through a pipe that read never ends, through a file it does.
func TestBuildOfASourceReadingItsOwnOutputEnds(t *testing.T) {
	k := cachedKernel(t)
	needSandbox(t)
	src := filepath.Join(t.TempDir(), "selfread")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	for n, body := range map[string]string{"Kbuild": "obj-m := selfread.o\n", "selfread.c": "#include \"/proc/self/fd/1\"\n"} {
		if err := os.WriteFile(filepath.Join(src, n), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Build(context.Background(), src, k.BuildDir, Options{WorkDir: t.TempDir(), Sandbox: graderSandbox(k, "selfread"), Timeout: time.Minute})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Build = %v, want a build error", err)
	}
	if e.Stopped != "" {
		t.Fatalf("the build was stopped by %s, want it to end on its own:\n%v", e.Stopped, err)
	}
}
