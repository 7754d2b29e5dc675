package kernel

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// helloModule is a minimal out-of-tree module.
const helloModule = `#include <linux/module.h>
#include <linux/init.h>

static int __init hello_init(void) { pr_info("hello\n"); return 0; }
static void __exit hello_exit(void) { pr_info("bye\n"); }

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
`

// TestResolveDebianNetwork really fetches debian-6.1 (about 85 MB). It runs
// only with LKMLAB_NET_TESTS=1; LKMLAB_NET_TEST_CACHE keeps the cache in a
// fixed dir instead of a temp one.
func TestResolveDebianNetwork(t *testing.T) {
	if os.Getenv("LKMLAB_NET_TESTS") != "1" {
		t.Skip("set LKMLAB_NET_TESTS=1 to fetch debian-6.1 from the network")
	}
	cache := os.Getenv("LKMLAB_NET_TEST_CACHE")
	if cache == "" {
		cache = t.TempDir()
	}
	o := Options{CacheDir: cache, Logf: t.Logf}
	ctx := context.Background()
	start := time.Now()
	k, err := Resolve(ctx, "", o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cold Resolve: %s: %+v", time.Since(start), k)
	checkDebianKernel(t, k)

	start = time.Now()
	again, err := Resolve(ctx, DefaultName, o)
	warm := time.Since(start)
	if err != nil || *again != *k {
		t.Fatalf("warm Resolve = %+v, %v", again, err)
	}
	t.Logf("warm Resolve: %s", warm)
	t.Run("module builds", func(t *testing.T) { buildHello(t, k) })
	t.Run("vanished pin falls back", func(t *testing.T) { checkFallback(t, o, k) })
}

// checkFallback resolves a pin long gone from the archive and expects the
// newest ABI of the series, a warning naming pins.go, and a warm second call.
func checkFallback(t *testing.T, o Options, current *Kernel) {
	gone := debianPins[DefaultName]
	gone.ABI, gone.Version = "6.1.0-1", "6.1.4-1"
	var warnings []string
	o.Logf = func(format string, args ...any) {
		line := fmt.Sprintf(format, args...)
		t.Log(line)
		if strings.Contains(line, "WARNING") {
			warnings = append(warnings, line)
		}
	}
	o, _ = o.withDefaults()
	ctx := context.Background()
	k, err := resolveDebian(ctx, DefaultName, gone, o)
	if err != nil {
		t.Fatal(err)
	}
	if k.Release == gone.release() || len(warnings) != 1 || !strings.Contains(warnings[0], pinFile) {
		t.Fatalf("fallback = %+v, warnings %q", k, warnings)
	}
	if k.Release != current.Release {
		t.Logf("newest ABI %s differs from the pin %s: update %s", k.Release, current.Release, pinFile)
	}
	// The second resolve finds the fallback in the cache, without the
	// network: a mirror that refuses every connection must not matter.
	o.Mirror = "http://127.0.0.1:1"
	again, err := resolveDebian(ctx, DefaultName, gone, o)
	if err != nil || *again != *k || len(warnings) != 2 {
		t.Fatalf("second fallback resolve = %+v, %v, warnings %q", again, err, warnings)
	}
}

// checkDebianKernel checks the files a fetched Debian kernel must have.
func checkDebianKernel(t *testing.T, k *Kernel) {
	t.Helper()
	if ok, err := hasPVHNote(k.Image); err != nil || !ok {
		t.Errorf("Image %s: PVH note %v, %v", k.Image, ok, err)
	}
	mk, err := os.ReadFile(filepath.Join(k.BuildDir, "Makefile"))
	if err != nil || !strings.Contains(string(mk), "include "+filepath.Dir(filepath.Dir(filepath.Dir(k.BuildDir)))) {
		t.Errorf("headers Makefile = %q, %v; want an include inside the cache", mk, err)
	}
	for _, rel := range []string{"scripts/Makefile.build", "scripts/basic/fixdep", "scripts/mod/modpost", "Module.symvers", ".config"} {
		if !exists(filepath.Join(k.BuildDir, rel)) {
			t.Errorf("%s missing from BuildDir", rel)
		}
	}
	if !exists(filepath.Join(k.ModulesDir, "build", "Makefile")) {
		t.Errorf("%s/build does not resolve", k.ModulesDir)
	}
	kos, _ := filepath.Glob(filepath.Join(k.ModulesDir, "kernel/fs/*/*.ko"))
	if len(kos) == 0 {
		t.Errorf("no .ko files under %s/kernel/fs", k.ModulesDir)
	}
}

// buildHello builds a module against k.BuildDir.
func buildHello(t *testing.T, k *Kernel) {
	for _, tool := range []string{"make", "gcc-12"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	dir := t.TempDir()
	writeFile(t, dir, "hello.c", []byte(helloModule))
	writeFile(t, dir, "Kbuild", []byte("obj-m += hello.o\n"))
	start := time.Now()
	out, err := exec.Command("make", "-C", k.BuildDir, "M="+dir, "modules").CombinedOutput()
	if err != nil {
		t.Fatalf("make modules: %v\n%s", err, out)
	}
	t.Logf("module built in %s", time.Since(start))
	if !exists(filepath.Join(dir, "hello.ko")) {
		t.Fatalf("no hello.ko:\n%s", out)
	}
}
