package kernel

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestExtractVmlinux(t *testing.T) {
	pvh := pvhELF(t)
	plain := plainELF(t)
	good := gzipBzImage(t, pvh)
	tests := []struct {
		name    string
		image   []byte
		want    []byte // expected output; nil when an error is expected
		noPVH   bool   // want ErrNoPVH
		wantErr string // substring of the expected error
	}{
		{name: "gzip with PVH note", image: good, want: pvh},
		{name: "setup_sects 0 means 4", image: makeBzImage(bzImageSpec{payload: gzipBytes(t, pvh), size: uint32(len(pvh))}), want: pvh},
		{name: "gzip without PVH note", image: gzipBzImage(t, plain), noPVH: true},
		{name: "ELF is not a bzImage", image: plain, wantErr: "not a bzImage"},
		{name: "too short", image: []byte("MZ"), wantErr: "not a bzImage"},
		{name: "old boot protocol", image: makeBzImage(bzImageSpec{version: 0x206, payload: gzipBytes(t, pvh), size: uint32(len(pvh))}), wantErr: "older than 2.08"},
		{name: "truncated", image: good[:len(good)-10], wantErr: "truncated"},
		{name: "bzip2 payload", image: makeBzImage(bzImageSpec{payload: []byte("BZh91AY&SY"), size: 10}), wantErr: "unsupported payload compression"},
		{name: "size trailer mismatch", image: makeBzImage(bzImageSpec{payload: gzipBytes(t, pvh), size: uint32(len(pvh) + 1)}), wantErr: "corrupt"},
		{name: "payload is not ELF", image: makeBzImage(bzImageSpec{payload: gzipBytes(t, []byte("hello")), size: 5}), wantErr: "open ELF"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			in := writeFile(t, dir, "bzImage", tc.image)
			out := filepath.Join(dir, "vmlinux")
			err := ExtractVmlinux(in, out)
			switch {
			case tc.noPVH:
				if !errors.Is(err, ErrNoPVH) {
					t.Fatalf("err = %v, want ErrNoPVH", err)
				}
			case tc.wantErr != "":
				if err == nil || errors.Is(err, ErrNoPVH) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
			case err != nil:
				t.Fatal(err)
			}
			got, readErr := os.ReadFile(out)
			if tc.want == nil {
				if readErr == nil {
					t.Fatalf("%s was written despite the error", out)
				}
			} else if !bytes.Equal(got, tc.want) {
				t.Fatalf("vmlinux = %d bytes (%v), want the %d-byte ELF", len(got), readErr, len(tc.want))
			}
			assertNoTempFiles(t, dir)
		})
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

func TestExtractVmlinuxCommands(t *testing.T) {
	tests := []struct {
		tool string
		args []string
	}{
		{tool: "xz", args: []string{"--check=crc32", "-c"}},
		{tool: "zstd", args: []string{"-q", "-c"}},
	}
	for _, tc := range tests {
		t.Run(tc.tool, func(t *testing.T) {
			if _, err := exec.LookPath(tc.tool); err != nil {
				t.Skipf("%s not installed", tc.tool)
			}
			pvh := pvhELF(t)
			cmd := exec.Command(tc.tool, tc.args...)
			cmd.Stdin = bytes.NewReader(pvh)
			compressed, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			in := writeFile(t, dir, "bzImage", makeBzImage(bzImageSpec{payload: compressed, size: uint32(len(pvh)), setupSects: 2}))
			out := filepath.Join(dir, "vmlinux")
			if err := ExtractVmlinux(in, out); err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(out); !bytes.Equal(got, pvh) {
				t.Fatalf("vmlinux differs from the compressed ELF")
			}
		})
	}
}

func TestBzImageRelease(t *testing.T) {
	got, err := bzImageRelease(gzipBzImage(t, pvhELF(t)))
	if err != nil || got != testRelease {
		t.Fatalf("bzImageRelease = %q, %v; want %q", got, err, testRelease)
	}
	if _, err := bzImageRelease(pvhELF(t)); err == nil {
		t.Fatal("bzImageRelease accepted an ELF")
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
