package submit

import (
	"archive/zip"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// elfHead is the start of an x86-64 ELF file, as a compiled test program
// committed by a student begins.
const elfHead = "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00"

// studentRepo is a hand-made tree shaped like the repositories students
// of this assignment hand in: .git with hundreds of objects, editor
// settings, a folder per module with its Makefile and committed build
// products, screenshots, a PDF report, a compiled test program and an old
// copy of one module. Entries are in the order a directory walk meets
// them, so the dir, zip and tar.gz forms report alike.
func studentRepo(prefix string) []ent {
	ents := []ent{
		{Name: ".git/HEAD", Body: "ref: refs/heads/main\n"}, {Name: ".git/config", Body: "[core]\n"},
		{Name: ".git/index", Body: "DIRC\x00\x00\x00\x02"}, {Name: ".gitignore", Body: "*.o\n"},
		{Name: ".vscode/c_cpp_properties.json", Body: "{}"}, {Name: ".vscode/settings.json", Body: "{}"},
		{Name: "LICENSE", Body: "MIT License\n"}, {Name: "README.md", Body: "# Kernel modules\n"},
		{Name: "heap/Makefile", Body: "obj-m += lkm2.o\n"}, {Name: "heap/lkm2.c", Body: "/* heap */"},
		{Name: "hello/.mymodule.ko.cmd", Body: "cmd"}, {Name: "hello/.mymodule.o.cmd", Body: "cmd"},
		{Name: "hello/Makefile", Body: "obj-m += mymodule.o\n"}, {Name: "hello/Module.symvers"},
		{Name: "hello/modules.order", Body: "mymodule.ko\n"}, {Name: "hello/mymodule.c", Body: "/* hello */"},
		{Name: "hello/mymodule.ko", Body: elfHead}, {Name: "hello/mymodule.mod", Body: "mymodule.o\n"},
		{Name: "hello/mymodule.mod.c", Body: "#include <linux/module.h>\n"}, {Name: "hello/mymodule.mod.o", Body: elfHead},
		{Name: "hello/mymodule.o", Body: elfHead},
		{Name: "old/heap/lkm2.c", Body: "/* first try */"}, {Name: "report.pdf", Body: "%PDF-1.5\n"},
		{Name: "running/lkm1.c", Body: "/* running */"}, {Name: "running/screenshot.png", Body: "\x89PNG\r\n"},
		{Name: "test/user", Body: elfHead}, {Name: "test/user.c", Body: "int main(void) { return 0; }\n"},
	}
	for i := range 300 {
		ents = append(ents, ent{Name: fmt.Sprintf(".git/objects/%02x/%038x", i%256, i), Body: "x\x01\x00"})
	}
	slices.SortFunc(ents, func(a, b ent) int { return slices.Compare(strings.Split(a.Name, "/"), strings.Split(b.Name, "/")) })
	for i := range ents {
		ents[i].Name = prefix + ents[i].Name
	}
	return ents
}

// repoFiles is what staging studentRepo stages.
var repoFiles = []string{"LICENSE", "README.md", "heap/Makefile", "heap/lkm2.c", "hello/Makefile", "hello/mymodule.c",
	"old/heap/lkm2.c", "running/lkm1.c", "test/user.c"}

// repoSkipped is what staging studentRepo(prefix) skips: files are named
// as in the submission.
func repoSkipped(prefix string) []string {
	return []string{
		"304 version control files not staged (.git/, .gitignore)",
		"2 editor and tool files not staged (.vscode/)",
		"9 build products not staged (.*.cmd, Module.symvers, modules.order, *.ko, ...)",
		"2 images, documents and archives not staged (*.pdf, *.png)",
		"1 binary file not staged (" + prefix + "test/user)",
	}
}

// TestStageRepository stages a whole student repository in each form a
// submission arrives in: what is skipped does not count toward the file
// limit (12 here, against 336 entries), and is summed up by kind.
func TestStageRepository(t *testing.T) {
	lim := Limits{MaxFiles: 12}
	for _, c := range []stageCase{
		{name: "folder", build: dirOf("alice", studentRepo("")...), lim: lim, files: repoFiles, skipped: repoSkipped("")},
		{name: "zip", build: zipOf("alice", studentRepo("")...), lim: lim, files: repoFiles, skipped: repoSkipped("")},
		{name: "tar.gz", build: tgzOf("alice.tar.gz", studentRepo("")...), lim: lim, files: repoFiles, skipped: repoSkipped("")},
		{name: "GitHub's zip download, in one folder", build: zipOf("alice", studentRepo("os-lkm-main/")...), lim: lim,
			files: repoFiles, skipped: repoSkipped("os-lkm-main/"), check: wantRoot("os-lkm-main")},
	} {
		t.Run(c.name, c.run)
	}
}

// TestZipSkipsUnread checks entries skipped by name are never inflated:
// here none of them could be (an unknown compression method), and
// staging does not notice.
func TestZipSkipsUnread(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "bob.zip")
	f := create(t, p)
	zw := zip.NewWriter(f)
	for _, name := range []string{".git/objects/aa/bb", "hello/hello.o", "hello/hello.ko", "shot.png", ".vscode/x.json", "__MACOSX/._a.c"} {
		if _, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: 99, UncompressedSize64: 1 << 40}); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.Create("hello/hello.c")
	if err != nil {
		t.Fatal(err)
	}
	copyOrFail(t, w, strings.NewReader("int x;"))
	closeOrFail(t, zw, f)
	sub, err := Stage(p, filepath.Join(dir, "out"), Limits{MaxReadBytes: 1 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sub.Files, []string{"hello.c"}) || len(sub.Skipped) != 5 {
		t.Errorf("Files %q, Skipped %q", sub.Files, sub.Skipped)
	}
}

func TestStageSubdir(t *testing.T) {
	course := []ent{
		{Name: "README.md", Body: "labs"}, {Name: "lab1/hello.c"}, {Name: "lab1/Makefile"},
		{Name: "lab2/heap/heap.c", Body: "heap"}, {Name: "lab2/heap/heap.o", Body: elfHead}, {Name: "lab2/size.c"},
		{Name: "lab3/x.c"}, {Name: ".git/HEAD"},
	}
	for _, c := range []stageCase{{
		name:    "a folder at the top",
		build:   dirOf("alice", course...),
		lim:     Limits{MaxFiles: 2},
		files:   []string{"heap/heap.c", "size.c"},
		skipped: []string{"5 files outside lab2/ not staged", "1 build product not staged (*.o)"},
		check: func(t *testing.T, sub *Submission) {
			wantRoot("lab2")(t, sub)
			wantContent("heap/heap.c", "heap")(t, sub)
		},
	}, {
		name:    "inside a wrapper folder, in another case",
		build:   tgzOf("alice.tgz", withPrefix("repo-main/", renamed(course, "lab2/", "Lab2/"))...),
		files:   []string{"heap/heap.c", "size.c"},
		skipped: []string{"5 files outside lab2/ not staged", "1 build product not staged (*.o)"},
		check:   wantRoot("repo-main/Lab2"),
	}, {
		name:    "at the top rather than in another folder",
		build:   zipOf("alice", ent{Name: "lab2/a.c"}, ent{Name: "old/lab2/b.c"}),
		files:   []string{"a.c"},
		skipped: []string{"1 file outside lab2/ not staged"},
	}, {
		name:  "not there",
		build: zipOf("alice", ent{Name: "repo/lab1/a.c"}, ent{Name: "repo/lab3/b.c"}),
		err:   "submission alice.zip: no files to grade under lab2/ (at its top it holds: repo/lab1, repo/lab3): check the subfolder name",
	}} {
		t.Run(c.name, func(t *testing.T) { runSubdir(t, c, "lab2/") })
	}
	_, err := StageWith(dirOf("alice", course...)(t, t.TempDir()), t.TempDir(), Options{Subdir: "../lab2"})
	if err == nil || !strings.Contains(err.Error(), `subfolder "../lab2": path escapes the submission`) {
		t.Errorf("Subdir ../lab2: %v", err)
	}
}

// runSubdir runs a stage case with Options.Subdir.
func runSubdir(t *testing.T, c stageCase, subdir string) {
	base := t.TempDir()
	src := c.build(t, filepath.Join(base, "in"))
	sub, err := StageWith(src, filepath.Join(base, "out"), Options{Limits: c.lim, Subdir: subdir})
	switch {
	case c.err != "" && (err == nil || err.Error() != c.err):
		t.Fatalf("error %v, want %q", err, c.err)
	case c.err == "" && err != nil:
		t.Fatalf("StageWith: %v", err)
	}
	if err == nil {
		checkSubmission(t, c, sub)
	}
	checkConfined(t, base, src, sub)
}

func withPrefix(prefix string, ents []ent) []ent {
	out := slices.Clone(ents)
	for i := range out {
		out[i].Name = prefix + out[i].Name
	}
	return out
}

func renamed(ents []ent, from, to string) []ent {
	out := slices.Clone(ents)
	for i := range out {
		if rest, ok := strings.CutPrefix(out[i].Name, from); ok {
			out[i].Name = to + rest
		}
	}
	return out
}

// TestStageWithName checks Options.Name picks the folder, and a name that
// is not a folder name is refused.
func TestStageWithName(t *testing.T) {
	base := t.TempDir()
	src := dirOf("alice", ent{Name: "a.c"})(t, base)
	sub, err := StageWith(src, filepath.Join(base, "out"), Options{Name: "alice.zip"})
	if err != nil || sub.Name != "alice.zip" || sub.Dir != filepath.Join(base, "out", "alice.zip") {
		t.Fatalf("StageWith: %+v, %v", sub, err)
	}
	for _, bad := range []string{"../x", ".", "..", "a/b", ".hidden", "a\x00b"} {
		if _, err := StageWith(src, filepath.Join(base, "out"), Options{Name: bad}); err == nil {
			t.Errorf("Name %q accepted", bad)
		}
	}
}

// TestSubmissionRead checks Read serves staged files and nothing outside.
func TestSubmissionRead(t *testing.T) {
	base := t.TempDir()
	src := dirOf("alice", ent{Name: "lab/a.c", Body: "int a;"}, ent{Name: "b.c"})(t, base)
	sub, err := Stage(src, filepath.Join(base, "out"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := sub.Read("lab/a.c"); err != nil || string(b) != "int a;" {
		t.Errorf("Read(lab/a.c) = %q, %v", b, err)
	}
	for _, p := range []string{"../alice/b.c", "/etc/passwd", "../../in/alice/lab/a.c", "missing.c"} {
		if b, err := sub.Read(p); err == nil {
			t.Errorf("Read(%q) = %q, want an error", p, b)
		}
	}
}
