package assign

import (
	"archive/zip"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/submit"
)

// TestPickStagedRepository stages a whole repository as GitHub's zip
// download gives it (hand-made: .git, editor settings, build products,
// a macOS copy, an old attempt, a user-space test, screenshots) and
// checks every task finds its file in what staging kept.
func TestPickStagedRepository(t *testing.T) {
	ents := map[string]string{
		".gitignore": "*.o\n", ".vscode/settings.json": "{}", "README.md": "# OS assignment", "report.pdf": "%PDF-1.5",
		"Q0/main.c": helloSrc, "Q0/Makefile": "obj-m += main.o", "Q0/main.o": "\x7fELF\x02\x01",
		"Q0/main.mod.c": "#include <linux/module.h>\nmodule_init(x);", "Q0/._main.c": "\x00\x05\x16\x07",
		"running/lkm1.c": runningSrc, "heap/lkm2.c": heapSrc, "heap/lkm2.ko": "\x7fELF", "heap/.lkm2.o.cmd": "cmd",
		"heap/Module.symvers": "", "heap/modules.order": "lkm2.ko", "old/heap/lkm2.c": heapSrc,
		"lab3/ksp_lkm.c": kspSrc, "lab4/q4.c": mapperSrc, "lab4/test.c": userSrc, "lab5/vas_pas.c": sizeSrc,
		"screenshots/heap.png": "\x89PNG",
	}
	for i := range 200 {
		ents[fmt.Sprintf(".git/objects/%02x/%038x", i%256, i)] = "x\x01\x00"
	}
	dir := t.TempDir()
	src := writeZip(t, filepath.Join(dir, "alice.zip"), "os-assignment-main/", ents)
	sub, err := submit.Stage(src, filepath.Join(dir, "staged"), submit.Limits{MaxFiles: 20})
	if err != nil {
		t.Fatal(err)
	}
	got, notes := PickAll(Default().Tasks, sub.Files, sub.Read)
	want := map[string]string{"hello": "Q0/main.c", "running": "running/lkm1.c", "heap": "heap/lkm2.c",
		"ksp": "lab3/ksp_lkm.c", "mapper": "lab4/q4.c", "size": "lab5/vas_pas.c"}
	if !maps.Equal(got, want) {
		t.Errorf("PickAll = %v\nwant %v\nstaged %q\nnotes:\n  %s", got, want, sub.Files, strings.Join(notes, "\n  "))
	}
}

// writeZip writes ents, each under prefix, to a zip at p.
func writeZip(t *testing.T, p, prefix string, ents map[string]string) string {
	t.Helper()
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, body := range ents {
		w, err := zw.Create(prefix + name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}
