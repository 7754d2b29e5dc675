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
