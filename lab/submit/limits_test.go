package submit

import (
	"archive/zip"
	"fmt"
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
	build:   zipOf("bob", ent{Name: "big.c", Zeros: 1<<20 + 1}, ent{Name: "ok.c", Zeros: 1 << 20}),
	files:   []string{"ok.c"},
	skipped: []string{"big.c: larger than 1 MiB"},
}, {
	name:    "tar.gz file over the per-file limit",
	build:   tgzOf("bob.tgz", ent{Name: "big.c", Zeros: 101}, ent{Name: "ok.c", Zeros: 100}),
	lim:     Limits{MaxFileBytes: 100},
	files:   []string{"ok.c"},
	skipped: []string{"big.c: larger than 100 bytes"},
}, {
	name:    "text file over the per-file limit is listed, a binary one counted",
	build:   tgzOf("bob.tgz", ent{Name: "notes.txt", Xs: 101}, ent{Name: "core", Zeros: 101}, ent{Name: "a.c"}),
	lim:     Limits{MaxFileBytes: 100},
	files:   []string{"a.c"},
	skipped: []string{"notes.txt: larger than 100 bytes", "1 binary file not staged (core)"},
}, {
	name:    "zip bomb: 20 MiB of zeros in one source, skipped by its stated size",
	build:   zipOf("bomb", ent{Name: "zeros.c", Zeros: 20 << 20}, ent{Name: "a.c"}),
	files:   []string{"a.c"},
	skipped: []string{"zeros.c: larger than 1 MiB"},
}, {
	name:  "zip bomb: sources each within the per-file limit",
	build: zipOf("bomb", manyOf("z%02d.c", 20, ent{Zeros: 1 << 20})...),
	err:   "submission bomb.zip has more than 8 MiB of files to grade (C sources, headers, Makefiles): grade one subfolder or raise the size limit",
	limit: true,
}, {
	name:  "zip bomb: text files each over the per-file limit",
	build: zipOf("bomb", manyOf("z%02d.txt", 20, ent{Xs: 2 << 20})...),
	lim:   Limits{MaxReadBytes: 64 << 10},
	err:   "submission bomb.zip unpacks to more than 64 KiB: raise the read limit if it is genuine",
	limit: true,
}, {
	name:  "gzip bomb: 20 MiB of zeros in one entry",
	build: tgzOf("bomb.tar.gz", ent{Name: "zeros.bin", Zeros: 20 << 20}),
	lim:   Limits{MaxReadBytes: 8 << 20},
	err:   "submission bomb.tar.gz unpacks to more than 8 MiB: raise the read limit if it is genuine",
	limit: true,
}, {
	name:  "gzip bomb behind a path that is skipped unread",
	build: tgzOf("sneaky.tgz", ent{Name: "../zeros.bin", Zeros: 20 << 20}),
	lim:   Limits{MaxReadBytes: 8 << 20},
	err:   "submission sneaky.tgz unpacks to more than 8 MiB: raise the read limit if it is genuine",
	limit: true,
}, {
	name:  "gzip bomb under .git/",
	build: tgzOf("sneaky.tgz", ent{Name: ".git/objects/pack/p.pack", Zeros: 20 << 20}),
	lim:   Limits{MaxReadBytes: 8 << 20},
	err:   "submission sneaky.tgz unpacks to more than 8 MiB: raise the read limit if it is genuine",
	limit: true,
}, {
	name:  "total over several files, each within its limit",
	build: dirOf("alice", ent{Name: "a.c", Zeros: 100}, ent{Name: "b.c", Zeros: 100}, ent{Name: "c.c", Zeros: 100}),
	lim:   Limits{MaxFileBytes: 100, MaxTotalBytes: 250},
	err:   "submission alice has more than 250 bytes of files to grade (C sources, headers, Makefiles): grade one subfolder or raise the size limit",
	limit: true,
}, {
	name:  "too many files in a zip",
	build: zipOf("many", files(201)...),
	err:   "submission many.zip has more than 200 files to grade (C sources, headers, Makefiles): grade one subfolder or raise the file limit",
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
	err:   "submission many has more than 3 files to grade (C sources, headers, Makefiles): grade one subfolder or raise the file limit",
	limit: true,
}, {
	name:  "too many tar entries",
	build: tgzOf("many.tgz", links(9)...),
	lim:   Limits{MaxEntries: 8},
	err:   "submission many.tgz has more than 8 entries: raise the entry limit if it is genuine",
	limit: true,
}, {
	name: "other text files past the limits are counted, not an error",
	build: dirOf("alice", ent{Name: "a.c", Body: "int a;"}, ent{Name: "b.c", Body: "int b;"},
		ent{Name: "notes/1.md", Body: "x"}, ent{Name: "notes/2.md", Body: "x"}, ent{Name: "notes/3.md", Body: "x"}),
	lim:     Limits{MaxFiles: 2},
	files:   []string{"a.c", "b.c", "notes/1.md", "notes/2.md"},
	skipped: []string{"1 other file past the limits not staged (notes/3.md)"},
}, {
	name:    "more skipped entries than are listed",
	build:   tgzOf("many.tgz", append(links(maxListed+3), ent{Name: "a.c"})...),
	files:   []string{"a.c"},
	skipped: append(linkLines(maxListed), "3 more entries left out (not listed)"),
}}

// manyOf returns n copies of e named by format and the index.
func manyOf(format string, n int, e ent) []ent {
	var ents []ent
	for i := range n {
		e.Name = fmt.Sprintf(format, i)
		ents = append(ents, e)
	}
	return ents
}

// linkLines are the Skipped lines of links(n).
func linkLines(n int) []string {
	var lines []string
	for i := range n {
		lines = append(lines, fmt.Sprintf("l%03d: symbolic link", i))
	}
	return lines
}

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
	_, err := Stage(p, filepath.Join(dir, "out"), Limits{MaxEntries: 8})
	if err == nil || err.Error() != "submission many.zip has more than 8 entries: raise the entry limit if it is genuine" {
		t.Fatalf("Stage: %v", err)
	}
	sub, err := Stage(p, filepath.Join(dir, "out"), Limits{MaxEntries: 9})
	if err != nil || len(sub.Files) != 0 || len(sub.Skipped) != 9 || sub.Skipped[0] != "f000.c: cannot open: zip: unsupported compression algorithm" {
		t.Fatalf("Stage with room: %+v, %v", sub, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "many")); err != nil {
		t.Fatal(err)
	}
}
