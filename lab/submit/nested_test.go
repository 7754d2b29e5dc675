package submit

import (
	"os"
	"path/filepath"
	"testing"
)

// bytesOf returns the bytes of the archive b builds, to put inside
// another.
func bytesOf(t testing.TB, b builder) string {
	t.Helper()
	data, err := os.ReadFile(b(t, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// inner is an archive inside a submission: name and the builder of its
// bytes, built when the test runs.
func inner(name string, b builder) func(testing.TB) ent {
	return func(t testing.TB) ent { return ent{Name: name, Body: bytesOf(t, b)} }
}

// withInner builds an outer archive (or folder) with make, its entries
// being ents plus each inner archive, built first.
func withInner(make func(string, ...ent) builder, name string, inners []func(testing.TB) ent, ents ...ent) builder {
	return func(t testing.TB, dir string) string {
		t.Helper()
		all := append([]ent{}, ents...)
		for _, in := range inners {
			all = append(all, in(t))
		}
		return make(name, all...)(t, dir)
	}
}

// lab1 is what the archives inside hold: a module folder and a note.
var lab1 = []ent{{Name: "lab1/hello/hello.c", Body: "int hello;"}, {Name: "lab1/hello/Makefile"}, {Name: "lab1/NOTES.md"}}

// tgzName adapts tgzOf to withInner's naming (it wants the extension).
func tgzName(name string, ents ...ent) builder { return tgzOf(name+".tar.gz", ents...) }

func TestStageNested(t *testing.T) {
	innerZip := inner("Ines_Lab1/lab1.zip", zipOf("lab1", lab1...))
	for _, c := range []stageCase{{
		name:  "a zip holding a zip and a note (an LMS's download)",
		build: withInner(zipOf, "ines", []func(testing.TB) ent{innerZip}, ent{Name: "Ines_Lab1/LEEME.txt", Body: "ver lab1.zip"}),
		files: []string{"LEEME.txt", "lab1/NOTES.md", "lab1/hello/Makefile", "lab1/hello/hello.c"},
		check: func(t *testing.T, sub *Submission) {
			wantContent("lab1/hello/hello.c", "int hello;")(t, sub)
			if sub.Unpacked != "Ines_Lab1/lab1.zip" || sub.Root != "Ines_Lab1" {
				t.Errorf("Unpacked %q, Root %q; want Ines_Lab1/lab1.zip, Ines_Lab1", sub.Unpacked, sub.Root)
			}
		},
	}, {
		name:  "a tar.gz holding a zip: read from the stream",
		build: withInner(tgzName, "ines", []func(testing.TB) ent{innerZip}),
		files: []string{"lab1/NOTES.md", "lab1/hello/Makefile", "lab1/hello/hello.c"},
	}, {
		name:  "a folder holding a tar.xz (an LMS's folder per student)",
		build: withInner(dirOf, "ines", []func(testing.TB) ent{inner("upload.tar.xz", tarOf("x.tar.xz", "xz", lab1...))}),
		files: []string{"NOTES.md", "hello/Makefile", "hello/hello.c"},
	}, {
		name:    "sources beside the archive: the archive is not unpacked",
		build:   withInner(zipOf, "ines", []func(testing.TB) ent{innerZip}, ent{Name: "hello.c"}),
		files:   []string{"hello.c"},
		skipped: []string{"1 image, document or archive not staged (*.zip)"},
	}, {
		name:    "two archives: neither is unpacked",
		build:   withInner(zipOf, "ines", []func(testing.TB) ent{innerZip, inner("Ines_Lab1/lab1_old.zip", zipOf("old", lab1...))}),
		files:   nil,
		skipped: []string{"2 images, documents and archives not staged (*.zip)"},
	}, {
		name: "one level only: a zip in the zip in the zip stays packed",
		build: withInner(zipOf, "ines", []func(testing.TB) ent{inner("a.zip", withInner(zipOf, "a",
			[]func(testing.TB) ent{inner("b.zip", zipOf("b", lab1...))}))}),
		files:   nil,
		skipped: []string{"1 image, document or archive not staged (*.zip)"},
	}, {
		name: "the archive inside is checked like the submission",
		build: withInner(zipOf, "eve", []func(testing.TB) ent{inner("in/evil.zip", zipOf("evil",
			ent{Name: "../../escape.c"}, ent{Name: "/abs.c"}, ent{Name: "l.c", Mode: 0o777 | os.ModeSymlink, Link: "/etc/passwd"},
			ent{Name: "ok.c"}))}),
		files:   []string{"ok.c"},
		skipped: []string{"in/evil.zip: ../../escape.c: path escapes the submission", "in/evil.zip: /abs.c: absolute path", "in/evil.zip: l.c: symbolic link"},
		check:   noFile("/abs.c"),
	}, {
		name:    "an archive inside that does not open is listed",
		build:   zipOf("ines", ent{Name: "lab1.zip", Body: "not a zip"}, ent{Name: "note.txt"}),
		files:   []string{"note.txt"},
		skipped: []string{"lab1.zip: cannot read: zip: not a valid zip file"},
	}, {
		name:    "macOS metadata and version control named like archives are not unpacked",
		build:   zipOf("mac", ent{Name: "__MACOSX/._lab1.zip"}, ent{Name: "._lab1.zip"}, ent{Name: ".git/x.zip"}),
		files:   nil,
		skipped: []string{"1 version control file not staged (.git/)", "2 macOS metadata files not staged (__MACOSX/, ._*)"},
	}} {
		t.Run(c.name, c.run)
	}
}

func TestStageNestedLimits(t *testing.T) {
	innerZip := inner("lab1.zip", zipOf("lab1", lab1...))
	for _, c := range []stageCase{{
		name:  "entries count both archives",
		build: withInner(zipOf, "ines", []func(testing.TB) ent{innerZip}, ent{Name: "a.txt"}, ent{Name: "b.txt"}),
		lim:   Limits{MaxEntries: 4},
		err:   "submission ines.zip has more than 4 entries: raise the entry limit if it is genuine",
		limit: true,
	}, {
		name: "bytes read count both archives",
		build: withInner(zipOf, "bomb", []func(testing.TB) ent{inner("lab1.tar.gz", tgzOf("lab1.tar.gz",
			ent{Name: "zeros.bin", Zeros: 6 << 20}))}, ent{Name: "pad.txt", Xs: 3 << 20}),
		lim:   Limits{MaxReadBytes: 8 << 20, MaxFileBytes: 4 << 20},
		err:   "submission bomb.zip unpacks to more than 8 MiB: raise the read limit if it is genuine",
		limit: true,
	}, {
		name:  "a bomb inside: the archive's inflated copy counts",
		build: withInner(zipOf, "bomb", []func(testing.TB) ent{inner("lab1.tar", tarOf("lab1.tar", "", ent{Name: "z.c", Zeros: 20 << 20}))}),
		lim:   Limits{MaxReadBytes: 8 << 20},
		err:   "submission bomb.zip unpacks to more than 8 MiB: raise the read limit if it is genuine",
		limit: true,
	}, {
		name:    "a zip bomb inside: its oversized entry is skipped by its stated size, not inflated",
		build:   withInner(zipOf, "bomb", []func(testing.TB) ent{inner("lab1.zip", zipOf("lab1", ent{Name: "z.c", Zeros: 20 << 20}, ent{Name: "a.c"}))}),
		lim:     Limits{MaxReadBytes: 8 << 20},
		files:   []string{"a.c"},
		skipped: []string{"lab1.zip: z.c: larger than 1 MiB"},
	}, {
		name:  "graded files count both archives",
		build: withInner(zipOf, "ines", []func(testing.TB) ent{inner("lab1.zip", zipOf("lab1", ent{Name: "a.c"}, ent{Name: "b.c"}))}),
		lim:   Limits{MaxFiles: 1},
		err:   "submission ines.zip has more than 1 files to grade (C sources, headers, Makefiles): grade one subfolder or raise the file limit",
		limit: true,
	}} {
		t.Run(c.name, c.run)
	}
}

// TestStageNestedSubdir checks the graded subfolder is looked for inside
// the archive inside.
func TestStageNestedSubdir(t *testing.T) {
	base := t.TempDir()
	src := withInner(zipOf, "ines", []func(testing.TB) ent{inner("upload.zip",
		zipOf("repo", ent{Name: "repo-main/lab1/hello.c"}, ent{Name: "repo-main/lab2/heap.c"}))})(t, filepath.Join(base, "in"))
	sub, err := StageWith(src, filepath.Join(base, "out"), Options{Subdir: "lab2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sub.Files) != 1 || sub.Files[0] != "heap.c" {
		t.Errorf("Files %q, want [heap.c]", sub.Files)
	}
	checkConfined(t, base, src, sub)
}
