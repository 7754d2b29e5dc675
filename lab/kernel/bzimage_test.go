package kernel

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cachedBzImages are the Debian kernel images in the default cache: real
// images, signed and xz-compressed, as lkmlab fetches them.
func cachedBzImages(t *testing.T) []string {
	t.Helper()
	all, _ := filepath.Glob(filepath.Join(DefaultCacheDir(), "kernels", "debian-*", "root", "boot", "vmlinuz-*"))
	var imgs []string
	for _, img := range all {
		if !strings.HasSuffix(img, "-"+ARM64) { // an arm64 Image is no bzImage
			imgs = append(imgs, img)
		}
	}
	if len(imgs) == 0 {
		msg := "no Debian kernel in the cache: lkmlab kernel build debian-6.1 fetches one"
		if os.Getenv("LKMLAB_REQUIRE_VM") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return imgs
}

func TestExtractVmlinux(t *testing.T) {
	for _, img := range cachedBzImages(t) {
		t.Run(filepath.Base(img), func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "vmlinux")
			if err := ExtractVmlinux(img, out); err != nil {
				t.Fatal(err)
			}
			if ok, err := hasPVHNote(out); !ok || err != nil {
				t.Fatalf("the extracted vmlinux has no PVH note (%v)", err)
			}
			assertNoTempFiles(t, dir)
			head, err := readHead(img, versionHeadSize)
			if err != nil {
				t.Fatal(err)
			}
			rel, err := bzImageRelease(head)
			if err != nil || !strings.Contains(img, rel) {
				t.Fatalf("bzImageRelease = %q, %v; the file is %s", rel, err, filepath.Base(img))
			}
		})
	}
}

func TestExtractVmlinuxRefusesWhatIsNoBzImage(t *testing.T) {
	for name, data := range map[string][]byte{"an ELF": pvhELF(t), "too short": []byte("MZ")} {
		dir := t.TempDir()
		in := writeFile(t, dir, "bzImage", data)
		if err := ExtractVmlinux(in, filepath.Join(dir, "vmlinux")); err == nil {
			t.Errorf("%s: extracted", name)
		}
		if _, err := bzImageRelease(data); err == nil {
			t.Errorf("%s: has a release", name)
		}
		assertNoTempFiles(t, dir)
	}
}

// assertNoTempFiles fails if extraction left temp files in dir.
func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temp file %s left behind", e.Name())
		}
	}
}

func TestNotesHavePVH(t *testing.T) {
	note := func(name string, typ uint32, desc int) []byte {
		var b bytes.Buffer
		le := binary.LittleEndian
		binary.Write(&b, le, uint32(len(name)))
		binary.Write(&b, le, uint32(desc))
		binary.Write(&b, le, typ)
		b.WriteString(name)
		b.Write(make([]byte, int(align4(uint64(len(name))))-len(name)+int(align4(uint64(desc)))))
		return b.Bytes()
	}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	tests := []struct {
		name  string
		notes []byte
		want  bool
	}{
		{"pvh alone", note("Xen\x00", 18, 4), true},
		{"pvh after others", cat(note("GNU\x00", 3, 20), note("Xen\x00", 6, 6), note("Xen\x00", 18, 4)), true},
		{"name without NUL", note("Xen", 18, 8), true},
		{"other Xen notes only", cat(note("Xen\x00", 6, 6), note("Xen\x00", 5, 8)), false},
		{"type 18 from another owner", note("GNU\x00", 18, 4), false},
		{"truncated", note("Xen\x00", 18, 4)[:14], false},
		{"empty", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := notesHavePVH(tc.notes, binary.LittleEndian); got != tc.want {
				t.Fatalf("notesHavePVH = %v, want %v", got, tc.want)
			}
		})
	}
}
