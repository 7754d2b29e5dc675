package submit

import (
	"archive/zip"
	"os"
	"path/filepath"
	"testing"
)

func TestStageLimits(t *testing.T) {
	for _, c := range limitCases {
		t.Run(c.name, c.run)
	}
}

// limitCases are the cases TestStageLimits runs.
var limitCases = []stageCase{{
	name:    "zip file over the default per-file limit",
	build:   zipOf("bob", ent{Name: "big.bin", Zeros: 1<<20 + 1}, ent{Name: "ok.bin", Zeros: 1 << 20}),
	files:   []string{"ok.bin"},
	skipped: []string{"big.bin: larger than 1 MiB"},
}, {
	name:    "tar.gz file over the per-file limit",
	build:   tgzOf("bob.tgz", ent{Name: "big.bin", Zeros: 101}, ent{Name: "ok.bin", Zeros: 100}),
	lim:     Limits{MaxFileBytes: 100},
	files:   []string{"ok.bin"},
	skipped: []string{"big.bin: larger than 100 bytes"},
}, {
	name:  "zip bomb: 20 MiB of zeros in one entry",
	build: zipOf("bomb", ent{Name: "zeros.bin", Zeros: 20 << 20}),
	err:   "submission bomb.zip unpacks to more than 8 MiB",
	limit: true,
}, {
	name:  "gzip bomb: 20 MiB of zeros in one entry",
	build: tgzOf("bomb.tar.gz", ent{Name: "zeros.bin", Zeros: 20 << 20}),
	err:   "submission bomb.tar.gz unpacks to more than 8 MiB",
	limit: true,
}, {
	name:  "gzip bomb behind a path that is skipped unread",
	build: tgzOf("sneaky.tgz", ent{Name: "../zeros.bin", Zeros: 20 << 20}),
	err:   "submission sneaky.tgz unpacks to more than 8 MiB",
	limit: true,
}, {
	name:  "total over several files, each within its limit",
	build: dirOf("alice", ent{Name: "a", Zeros: 100}, ent{Name: "b", Zeros: 100}, ent{Name: "c", Zeros: 100}),
	lim:   Limits{MaxFileBytes: 100, MaxTotalBytes: 250},
	err:   "submission alice unpacks to more than 250 bytes",
	limit: true,
}, {
	name:  "too many files in a zip",
	build: zipOf("many", files(201)...),
	err:   "submission many.zip has more than 200 files",
	limit: true,
}, {
	name:  "exactly the most files allowed",
	build: tgzOf("many.tgz", files(3)...),
	lim:   Limits{MaxFiles: 3},
	files: []string{"f000.c", "f001.c", "f002.c"},
}, {
	name:  "too many files in a directory",
	build: dirOf("many", files(4)...),
	lim:   Limits{MaxFiles: 3},
	err:   "submission many has more than 3 files",
	limit: true,
}, {
	name:  "too many tar entries",
	build: tgzOf("many.tgz", links(9)...),
	lim:   Limits{MaxFiles: 2},
	err:   "submission many.tgz has more than 8 entries",
	limit: true,
}}

// TestZipCentralDirectoryGuard checks a zip with too many entries is
// refused before any entry is read: every entry here is unreadable.
func TestZipCentralDirectoryGuard(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "many.zip")
	f := create(t, p)
	zw := zip.NewWriter(f)
	for _, e := range files(9) {
		h := &zip.FileHeader{Name: e.Name, Method: 99} // no decompressor: reading would fail
		if _, err := zw.CreateRaw(h); err != nil {
			t.Fatal(err)
		}
	}
	closeOrFail(t, zw, f)
	_, err := Stage(p, filepath.Join(dir, "out"), Limits{MaxFiles: 2})
	if err == nil || err.Error() != "submission many.zip has more than 8 entries" {
		t.Fatalf("Stage: %v", err)
	}
	sub, err := Stage(p, filepath.Join(dir, "out"), Limits{MaxFiles: 9})
	if err != nil || len(sub.Files) != 0 || len(sub.Skipped) != 9 || sub.Skipped[0] != "f000.c: cannot open: zip: unsupported compression algorithm" {
		t.Fatalf("Stage with room: %+v, %v", sub, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "many")); err != nil {
		t.Fatal(err)
	}
}
