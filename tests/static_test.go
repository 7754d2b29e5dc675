package tests

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/lkmlab/lkmlab/lab/kbuild"
)

// module writes a module folder named name with one C file and its Kbuild.
func module(t *testing.T, name, src string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, name+".c"), []byte(src), 0o644)
	os.WriteFile(filepath.Join(dir, "Kbuild"), []byte("obj-m := "+name+".o\n"), 0o644)
	return dir
}

const warnedModule = `#include <linux/module.h>
#include <linux/init.h>

static int helper(int x)
{
	int unused;
	return x;
}

static int __init w_init(void)
{
	return helper(0);
}

static void __exit w_exit(void)
{
}

module_init(w_init);
module_exit(w_exit);
MODULE_LICENSE("GPL");
`

// TestWarningsAtW1 builds modules with W=1 on a real kernel tree: the
// student's own warnings come back on their lines, under the student's
// file name, and a module that does not build says so.
func TestWarningsAtW1(t *testing.T) {
	k := needVM(t)
	ctx := context.Background()
	dir := module(t, "w", warnedModule)
	ds, err := kbuild.Warnings(ctx, dir, k.BuildDir, kbuild.Options{WorkDir: t.TempDir(), Names: map[string]string{"w.c": "lab2/mine.c"}})
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]int{}
	for _, d := range ds {
		if d.File != "lab2/mine.c" || d.Severity != "warning" {
			t.Errorf("diagnostic %+v: want a warning on lab2/mine.c", d)
		}
		found[d.Option] = d.Line
	}
	if found["-Wunused-variable"] != 6 {
		t.Errorf("diagnostics %+v: want -Wunused-variable on line 6", ds)
	}
	broken := module(t, "b", "#include <linux/module.h>\nint f(void) { return nope; }\nMODULE_LICENSE(\"GPL\");\n")
	ds, err = kbuild.Warnings(ctx, broken, k.BuildDir, kbuild.Options{WorkDir: t.TempDir()})
	var be *kbuild.Error
	errs := 0
	for _, d := range ds {
		if d.Severity == "error" && d.Line == 2 && d.File == filepath.Join(broken, "b.c") {
			errs++
		}
	}
	if !errors.As(err, &be) || errs == 0 {
		t.Errorf("a module that does not build: %v, diagnostics %+v: want errors on line 2 of %s", err, ds, filepath.Join(broken, "b.c"))
	}
}
