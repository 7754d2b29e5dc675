package submit

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStageRefuses(t *testing.T) {
	for _, c := range []stageCase{{
		name:  "unknown file type",
		build: fileOf("x.rar", "Rar!"),
		err:   "submission x.rar: not a directory or a .zip, .tar, .tar.gz (.tgz), .tar.xz (.txz) or .tar.bz2 (.tbz2) archive: unpack it, or pack it as a .zip",
	}, {
		name: "submission that is a symlink",
		build: func(t testing.TB, dir string) string {
			mkdir(t, dir)
			p := filepath.Join(dir, "mallory")
			if err := os.Symlink("/etc", p); err != nil {
				t.Fatal(err)
			}
			return p
		},
		err: "submission mallory: is a symbolic link, not a directory or an archive",
	}} {
		t.Run(c.name, c.run)
	}
	_, err := Stage(filepath.Join(t.TempDir(), "nobody.zip"), t.TempDir(), Limits{})
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "stat submission nobody.zip: ") {
		t.Errorf("missing submission: %v", err)
	}
}

// TestStageRestages checks a rerun replaces what an earlier run staged.
func TestStageRestages(t *testing.T) {
	base := t.TempDir()
	src := dirOf("alice", ent{Name: "a.c", Body: "v1"})(t, base)
	dst := filepath.Join(base, "out")
	for i, body := range []string{"v1", "v2"} {
		if err := os.WriteFile(filepath.Join(src, "a.c"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		sub, err := Stage(src, dst, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		wantContent("a.c", body)(t, sub)
		if i == 0 {
			if err := os.WriteFile(filepath.Join(sub.Dir, "stale.o"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if got := tree(t, sub.Dir); strings.Join(got, " ") != "a.c" {
			t.Errorf("restaged dir holds %q", got)
		}
	}
}

// TestStageFailureLeavesNothing checks a rerun that fails removes the
// earlier staging and leaves no partial one.
func TestStageFailureLeavesNothing(t *testing.T) {
	base := t.TempDir()
	dst := filepath.Join(base, "out")
	src := zipOf("bob", ent{Name: "a.c"})(t, base)
	if _, err := Stage(src, dst, Limits{}); err != nil {
		t.Fatal(err)
	}
	src = zipOf("bob", ent{Name: "a.c"}, ent{Name: "b.c"})(t, base)
	if _, err := Stage(src, dst, Limits{MaxFiles: 1}); err == nil {
		t.Fatal("Stage of 2 files with MaxFiles 1 succeeded")
	}
	if got := tree(t, dst); len(got) != 0 {
		t.Errorf("dst holds %q after a failed stage", got)
	}
}

// TestStageOverlap checks Stage refuses to stage a submission into itself
// (which would remove it first).
func TestStageOverlap(t *testing.T) {
	base := t.TempDir()
	src := dirOf("alice", ent{Name: "a.c"})(t, base)
	for _, dst := range []string{base, src, filepath.Join(src, "x")} {
		_, err := Stage(src, dst, Limits{})
		if err == nil || !strings.Contains(err.Error(), "overlaps the submission") {
			t.Errorf("Stage(%s, %s): %v", src, dst, err)
		}
	}
	if _, err := os.Stat(filepath.Join(src, "a.c")); err != nil {
		t.Errorf("submission damaged: %v", err)
	}
}

func TestDisplay(t *testing.T) {
	long := strings.Repeat("é", 150) // 300 bytes
	for name, want := range map[string]string{
		"a/b.c":        "a/b.c",
		"tab\there":    `"tab\there"`,
		"line\nbreak":  `"line\nbreak"`,
		"bad\xffutf8":  `"bad\xffutf8"`,
		long:           strings.Repeat("é", 100) + "...",
		long + "\x00x": `"` + strings.Repeat("é", 100) + `"...`,
	} {
		if got := display(name); got != want {
			t.Errorf("display(%q) = %q, want %q", name, got, want)
		}
	}
}
