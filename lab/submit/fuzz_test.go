package submit

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzStageZip feeds arbitrary bytes to Stage as a .zip: it must never
// panic, never write outside its staging dir, and stage only regular
// files with safe modes.
func FuzzStageZip(f *testing.F) {
	seeds := []builder{
		zipOf("normal", ent{Name: "a.c", Body: "int a;"}, ent{Name: "top/"}, ent{Name: "top/b.c", Body: "b"}),
		zipOf("escape", ent{Name: "../evil.c"}, ent{Name: "/abs.c"}, ent{Name: `..\x.c`}, ent{Name: "a/../../b.c"}),
		zipOf("links", ent{Name: "l", Mode: 0o777 | os.ModeSymlink, Link: "/etc/passwd"}, ent{Name: "l/x.c"}),
		zipOf("big", ent{Name: "zeros.bin", Zeros: 64 << 10}),
		zipOf("mac", ent{Name: "__MACOSX/._a.c"}, ent{Name: "x/.DS_Store"}, ent{Name: "x/a.c"}),
		withInner(zipOf, "nested", []func(testing.TB) ent{inner("in/lab1.zip", zipOf("lab1", ent{Name: "../up.c"}, ent{Name: "a.c"}))}),
		withInner(zipOf, "nested-tar", []func(testing.TB) ent{inner("lab1.tar", tarOf("lab1.tar", "", ent{Name: "a.c"}))}),
	}
	dir := f.TempDir()
	for _, b := range seeds {
		data, err := os.ReadFile(b(f, dir))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte{})
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))
	f.Fuzz(func(t *testing.T, data []byte) {
		base := t.TempDir()
		src := filepath.Join(base, "in", "sub.zip")
		mkdir(t, filepath.Dir(src))
		if err := os.WriteFile(src, data, 0o644); err != nil {
			t.Fatal(err)
		}
		lim := Limits{MaxFiles: 8, MaxFileBytes: 4 << 10, MaxTotalBytes: 16 << 10}
		sub, err := Stage(src, filepath.Join(base, "out"), lim)
		if (sub == nil) == (err == nil) {
			t.Fatalf("Stage returned %v and %v", sub, err)
		}
		checkConfined(t, base, src, sub)
	})
}

// FuzzStageTar feeds arbitrary bytes to Stage as each tar format: the
// same guarantees as FuzzStageZip, through each decompressor.
func FuzzStageTar(f *testing.F) {
	dir := f.TempDir()
	for _, b := range []builder{
		tarOf("plain.tar", "", ent{Name: "a.c", Body: "int a;"}, ent{Name: "../x.c"}, ent{Name: "l", Mode: 0o777 | os.ModeSymlink, Link: "/"}),
		tarOf("x.tar.xz", "xz", ent{Name: "a.c", Body: "int a;"}),
		tarOf("x.tar.bz2", "bzip2", ent{Name: "a.c", Body: "int a;"}),
		tgzOf("x.tgz", ent{Name: "a.c", Body: "int a;"}),
		withInner(tgzName, "nested", []func(testing.TB) ent{inner("lab1.zip", zipOf("lab1", ent{Name: "a.c"}))}),
	} {
		data, err := os.ReadFile(b(f, dir))
		if err != nil {
			f.Fatal(err)
		}
		for ext := range 4 {
			f.Add(uint8(ext), data)
		}
	}
	f.Fuzz(func(t *testing.T, ext uint8, data []byte) {
		base := t.TempDir()
		src := filepath.Join(base, "in", "sub"+[]string{".tar", ".tar.xz", ".tar.bz2", ".tgz"}[ext%4])
		mkdir(t, filepath.Dir(src))
		if err := os.WriteFile(src, data, 0o644); err != nil {
			t.Fatal(err)
		}
		lim := Limits{MaxFiles: 8, MaxFileBytes: 4 << 10, MaxTotalBytes: 16 << 10, MaxReadBytes: 1 << 20}
		sub, err := Stage(src, filepath.Join(base, "out"), lim)
		if (sub == nil) == (err == nil) {
			t.Fatalf("Stage returned %v and %v", sub, err)
		}
		checkConfined(t, base, src, sub)
	})
}
