package submit

import (
	"archive/tar"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStageZip(t *testing.T) {
	for _, c := range zipCases {
		t.Run(c.name, c.run)
	}
}

// zipCases are the cases TestStageZip runs.
var zipCases = []stageCase{{
	name:  "normal zip",
	build: zipOf("bob", ent{Name: "a.c", Body: "int a;"}, ent{Name: "src/"}, ent{Name: "src/b.c"}),
	files: []string{"a.c", "src/b.c"},
	check: wantContent("a.c", "int a;"),
}, {
	name: "paths that escape, and names that could forge a report",
	build: zipOf("eve", ent{Name: "../evil.c"}, ent{Name: "/abs.c"}, ent{Name: "a/../../b.c"},
		ent{Name: `..\x.c`}, ent{Name: `a\..\..\y.c`}, ent{Name: "a/../c.c"}, ent{Name: "nul\x00.c"},
		ent{Name: "heap\n## 10/10\n.c"}, ent{Name: "lkm2\u202ec.txt"}, ent{Name: "Zo\xeb/ok.c"}, ent{Name: "ok.c"}),
	files: []string{"Zo\xeb/ok.c", "ok.c"},
	skipped: []string{
		"../evil.c: path escapes the submission",
		"/abs.c: absolute path",
		"a/../../b.c: path escapes the submission",
		`..\x.c: path escapes the submission`,
		`a\..\..\y.c: path escapes the submission`,
		"a/../c.c: path contains ..",
		`"nul\x00.c": name contains a NUL byte`,
		`"heap\n## 10/10\n.c": name contains a control or formatting character`,
		`"lkm2\u202ec.txt": name contains a control or formatting character`,
	},
	check: noFile("/abs.c"),
}, {
	name: "paths too deep or too long",
	build: zipOf("eve", ent{Name: strings.Repeat("d/", 40) + "deep.c"}, ent{Name: strings.Repeat("n", 1100) + ".c"},
		ent{Name: strings.Repeat("d/", 31) + "ok.c"}),
	files: []string{strings.Repeat("d/", 30) + "ok.c"}, // the one top folder is stripped
	skipped: []string{
		display(strings.Repeat("d/", 40)+"deep.c") + ": path is deeper than 32 folders",
		display(strings.Repeat("n", 1100)+".c") + ": path is longer than 1024 bytes",
	},
}, {
	name:    "symlink entry",
	build:   zipOf("bob", ent{Name: "a.c"}, ent{Name: "link.c", Mode: fs.ModeSymlink | 0o777, Link: "/etc/passwd"}),
	files:   []string{"a.c"},
	skipped: []string{"link.c: symbolic link"},
}, {
	name:  "setuid and exec bits dropped",
	build: zipOf("bob", ent{Name: "run.sh", Mode: 0o4777, Body: "#!/bin/sh"}, ent{Name: "bin/tool", Mode: 0o755, Body: "#!/bin/sh"}),
	files: []string{"bin/tool", "run.sh"},
}, {
	name: "single top-level folder stripped, macOS metadata counted",
	build: zipOf("carol", ent{Name: "carol/"}, ent{Name: "carol/a.c"}, ent{Name: "carol/sub/b.h"},
		ent{Name: "__MACOSX/"}, ent{Name: "__MACOSX/carol/._a.c"}, ent{Name: "carol/.DS_Store"}, ent{Name: "carol/._b.h"}),
	files:   []string{"a.c", "sub/b.h"},
	skipped: []string{"3 macOS metadata files not staged (__MACOSX/, .DS_Store, ._*)"},
	check:   wantRoot("carol"),
}, {
	name:    "duplicate path keeps the first",
	build:   zipOf("bob", ent{Name: "a.c", Body: "first"}, ent{Name: "a.c", Body: "second"}),
	files:   []string{"a.c"},
	skipped: []string{"a.c: duplicate path"},
	check:   wantContent("a.c", "first"),
}, {
	name:    "file where a directory is needed",
	build:   zipOf("bob", ent{Name: "x"}, ent{Name: "x/y.c"}),
	files:   []string{"x"},
	skipped: []string{"x/y.c: cannot create: not a directory"},
}, {
	name:  "not a zip",
	build: fileOf("junk.zip", "this is not a zip"),
	err:   "open submission junk.zip: zip: not a valid zip file",
}}

func TestStageTarGz(t *testing.T) {
	for _, c := range tarCases {
		t.Run(c.name, c.run)
	}
}

// tarCases are the cases TestStageTarGz runs.
var tarCases = []stageCase{{
	name:  "normal tar.gz",
	build: tgzOf("dave.tar.gz", ent{Name: "a.c", Body: "int a;"}, ent{Name: "inc/"}, ent{Name: "inc/a.h"}),
	files: []string{"a.c", "inc/a.h"},
	check: wantContent("a.c", "int a;"),
}, {
	name: "links and special files",
	build: tgzOf("dave.tgz", ent{Name: "a.c"}, ent{Name: "link.c", Mode: fs.ModeSymlink, Link: "/etc/passwd"},
		ent{Name: "hard.c", Type: tar.TypeLink, Link: "a.c"}, ent{Name: "tty", Type: tar.TypeChar},
		ent{Name: "pipe", Type: tar.TypeFifo}, ent{Name: "run.sh", Mode: 0o6755, Body: "#!/bin/sh"}),
	files:   []string{"a.c", "run.sh"},
	skipped: []string{"link.c: symbolic link", "hard.c: hard link", "tty: device file", "pipe: named pipe"},
}, {
	name:  "./ prefix and single top-level folder",
	build: tgzOf("erin.tgz", ent{Name: "./erin/"}, ent{Name: "./erin/a.c"}, ent{Name: "./erin/b/c.h"}),
	files: []string{"a.c", "b/c.h"},
}, {
	name:    "paths that escape",
	build:   tgzOf("eve.tgz", ent{Name: "../evil.c"}, ent{Name: "/abs.c"}, ent{Name: "a/../../b.c"}, ent{Name: "ok.c"}),
	files:   []string{"ok.c"},
	skipped: []string{"../evil.c: path escapes the submission", "/abs.c: absolute path", "a/../../b.c: path escapes the submission"},
	check:   noFile("/abs.c"),
}, {
	name:  "not gzip",
	build: fileOf("junk.tgz", "this is not gzip"),
	err:   "open submission junk.tgz: gzip: invalid header",
}}

// fileOf builds a file NAME holding body.
func fileOf(name, body string) builder {
	return func(t testing.TB, dir string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		f := create(t, p)
		if _, err := f.WriteString(body); err != nil {
			t.Fatal(err)
		}
		closeOrFail(t, f)
		return p
	}
}

// wantRoot checks Submission.Root.
func wantRoot(root string) func(*testing.T, *Submission) {
	return func(t *testing.T, sub *Submission) {
		t.Helper()
		if sub.Root != root {
			t.Errorf("Root %q, want %q", sub.Root, root)
		}
	}
}

// noFile checks that an absolute path does not exist (Stage never writes
// outside its staging dir, even for an absolute entry name).
func noFile(p string) func(*testing.T, *Submission) {
	return func(t *testing.T, _ *Submission) {
		t.Helper()
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s exists", p)
		}
	}
}
