package submit

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// stageCase is one submission and what staging it must give.
type stageCase struct {
	name    string
	build   builder
	lim     Limits
	files   []string // want Submission.Files
	skipped []string // want Submission.Skipped
	err     string   // want an error with this text (and no Submission)
	limit   bool     // want the error to match ErrLimit
	check   func(t *testing.T, sub *Submission)
}

// run stages the case's submission from base/in into base/out and checks
// the result, then that nothing was written anywhere else.
func (c stageCase) run(t *testing.T) {
	base := t.TempDir()
	src := c.build(t, filepath.Join(base, "in"))
	sub, err := Stage(src, filepath.Join(base, "out"), c.lim)
	switch {
	case c.err != "" && (err == nil || err.Error() != c.err):
		t.Fatalf("error %v, want %q", err, c.err)
	case c.err != "" && errors.Is(err, ErrLimit) != c.limit:
		t.Errorf("errors.Is(%v, ErrLimit) = %v, want %v", err, !c.limit, c.limit)
	case c.err == "" && err != nil:
		t.Fatalf("Stage: %v", err)
	}
	if err == nil {
		checkSubmission(t, c, sub)
	}
	checkConfined(t, base, src, sub)
}

// checkSubmission compares a Submission with the case's expectations.
func checkSubmission(t *testing.T, c stageCase, sub *Submission) {
	t.Helper()
	if !slices.Equal(sub.Files, c.files) {
		t.Errorf("Files %q, want %q", sub.Files, c.files)
	}
	if !slices.Equal(sub.Skipped, c.skipped) {
		t.Errorf("Skipped %q, want %q", sub.Skipped, c.skipped)
	}
	if c.check != nil {
		c.check(t, sub)
	}
}

// checkConfined checks that Stage wrote nothing outside base/out/<Name>,
// left no temporary directory, and staged only regular 0644 files and
// 0755 directories, exactly sub.Files (no directory at all on error).
func checkConfined(t testing.TB, base, src string, sub *Submission) {
	t.Helper()
	name := Name(src)
	for _, p := range tree(t, base) {
		if !strings.HasPrefix(p, "in/") && !strings.HasPrefix(p, "out/"+name+"/") && p != "out/" {
			t.Errorf("Stage wrote %s outside the staging dir", p)
		}
	}
	if sub == nil {
		if _, err := os.Lstat(filepath.Join(base, "out", name)); err == nil {
			t.Errorf("a failed Stage left out/%s", name)
		}
		return
	}
	var files []string
	for _, p := range tree(t, sub.Dir) {
		checkMode(t, filepath.Join(sub.Dir, p))
		if !strings.HasSuffix(p, "/") {
			files = append(files, p)
		}
	}
	if !slices.Equal(files, sub.Files) {
		t.Errorf("staged dir holds %q, Files says %q", files, sub.Files)
	}
}

// checkMode checks a staged path is a 0755 directory or a 0644 file.
func checkMode(t testing.TB, p string) {
	t.Helper()
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	want := fs.FileMode(0o644)
	if fi.IsDir() {
		want = fs.ModeDir | 0o755
	}
	if fi.Mode() != want {
		t.Errorf("%s has mode %v, want %v", p, fi.Mode(), want)
	}
}

// wantContent checks a staged file's bytes.
func wantContent(rel, body string) func(*testing.T, *Submission) {
	return func(t *testing.T, sub *Submission) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(sub.Dir, filepath.FromSlash(rel)))
		if err != nil || string(b) != body {
			t.Errorf("%s holds %q (%v), want %q", rel, b, err, body)
		}
	}
}

func TestStageDirectory(t *testing.T) {
	for _, c := range dirCases {
		t.Run(c.name, c.run)
	}
}

// dirCases are the cases TestStageDirectory runs.
var dirCases = []stageCase{{
	name:  "normal dir",
	build: dirOf("alice", ent{Name: "a.c", Body: "int a;"}, ent{Name: "Makefile"}, ent{Name: "sub/b.h", Mode: 0o4755}),
	files: []string{"Makefile", "a.c", "sub/b.h"},
	check: wantContent("a.c", "int a;"),
}, {
	name: "symlinks are listed, not followed",
	build: dirOf("alice", ent{Name: "a.c"}, ent{Name: "link.c", Mode: fs.ModeSymlink, Link: "/etc/passwd"},
		ent{Name: "etc", Mode: fs.ModeSymlink, Link: "/etc"}),
	files:   []string{"a.c"},
	skipped: []string{"etc: symbolic link", "link.c: symbolic link"},
}, {
	name:  "single top-level folder stripped",
	build: dirOf("alice", ent{Name: "lab1/a.c"}, ent{Name: "lab1/sub/b.c"}),
	files: []string{"a.c", "sub/b.c"},
}, {
	name:  "two top-level folders kept",
	build: dirOf("alice", ent{Name: "lab1/a.c"}, ent{Name: "lab2/b.c"}),
	files: []string{"lab1/a.c", "lab2/b.c"},
}, {
	name:    "macOS metadata",
	build:   dirOf("alice", ent{Name: "a.c"}, ent{Name: ".DS_Store"}, ent{Name: "__MACOSX/._a.c"}),
	files:   []string{"a.c"},
	skipped: []string{"2 macOS metadata files not staged (.DS_Store, __MACOSX/)"},
}, {
	name:    "file over the per-file limit",
	build:   dirOf("alice", ent{Name: "big.h", Zeros: 101}, ent{Name: "ok.h", Zeros: 100}),
	lim:     Limits{MaxFileBytes: 100},
	files:   []string{"ok.h"},
	skipped: []string{"big.h: larger than 100 bytes"},
}, {
	name:  "empty dir",
	build: dirOf("alice"),
	files: []string{},
}, {
	name:  "too many entries",
	build: dirOf("alice", links(9)...),
	lim:   Limits{MaxEntries: 8},
	err:   "submission alice has more than 8 entries: raise the entry limit if it is genuine",
	limit: true,
}}

// files returns n small regular files.
func files(n int) []ent {
	var ents []ent
	for i := range n {
		ents = append(ents, ent{Name: fmt.Sprintf("f%03d.c", i), Body: "x"})
	}
	return ents
}

// links returns n symbolic links.
func links(n int) []ent {
	var ents []ent
	for i := range n {
		ents = append(ents, ent{Name: fmt.Sprintf("l%03d", i), Mode: fs.ModeSymlink | 0o777, Link: "/etc/passwd"})
	}
	return ents
}
