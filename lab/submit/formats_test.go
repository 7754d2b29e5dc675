package submit

import (
	"archive/tar"
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// tarOf builds NAME holding ents as a tar, compressed by the command
// given (xz, bzip2; none for a plain tar). Go has no xz or bzip2
// writer, so the test runs the tools; without them it skips.
func tarOf(name, compress string, ents ...ent) builder {
	return func(t testing.TB, dir string) string {
		t.Helper()
		var raw bytes.Buffer
		tw := tar.NewWriter(&raw)
		for _, e := range ents {
			h := tarHeader(e)
			if err := tw.WriteHeader(h); err != nil {
				t.Fatal(err)
			}
			if h.Typeflag == tar.TypeReg {
				copyOrFail(t, tw, e.content())
			}
		}
		closeOrFail(t, tw)
		data := raw.Bytes()
		if compress != "" {
			data = compressWith(t, compress, data)
		}
		p := filepath.Join(dir, name)
		mkdir(t, dir)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
}

// compressWith runs the compressor on data.
func compressWith(t testing.TB, tool string, data []byte) []byte {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("%s not found: apt-get install xz-utils bzip2", tool)
	}
	cmd := exec.Command(tool, "-c")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	return out
}

func TestStageTarFormats(t *testing.T) {
	files := []ent{{Name: "lab1/"}, {Name: "lab1/hello.c", Body: "int a;"}, {Name: "lab1/inc/a.h"}, {Name: "lab1/link.c", Mode: 0o777 | os.ModeSymlink, Link: "/etc"}}
	for _, c := range []stageCase{
		{name: "tar", build: tarOf("sofia.tar", "", files...)},
		{name: "tar.xz", build: tarOf("sofia.tar.xz", "xz", files...)},
		{name: "txz", build: tarOf("sofia.txz", "xz", files...)},
		{name: "tar.bz2", build: tarOf("sofia.tar.bz2", "bzip2", files...)},
		{name: "tbz2", build: tarOf("sofia.TBZ2", "bzip2", files...)},
	} {
		c.files = []string{"hello.c", "inc/a.h"}
		c.skipped = []string{"lab1/link.c: symbolic link"}
		c.check = func(t *testing.T, sub *Submission) {
			wantContent("hello.c", "int a;")(t, sub)
			if sub.Name != "sofia" {
				t.Errorf("Name %q, want sofia", sub.Name)
			}
		}
		t.Run(c.name, c.run)
	}
}

func TestStageTarFormatsRefuse(t *testing.T) {
	for _, c := range []stageCase{{
		name:  "not xz",
		build: fileOf("junk.tar.xz", "this is not xz"),
		err:   "open submission junk.tar.xz: xz: file format not recognized",
	}, {
		name:  "not bzip2",
		build: fileOf("junk.tbz2", "this is not bzip2"),
		err:   "read submission junk.tbz2: bzip2 data invalid: bad magic value",
	}, {
		name:  "an xz stream that asks for a 4 GiB dictionary",
		build: hugeDictXz("greedy.tar.xz"),
		err:   "open submission greedy.tar.xz: xz: LZMA2 dictionary size exceeds max (more than 64 MiB: pack it with xz's default level, or as a .zip)",
	}, {
		name:  "xz bomb",
		build: tarOf("bomb.tar.xz", "xz", ent{Name: "zeros.bin", Zeros: 20 << 20}),
		lim:   Limits{MaxReadBytes: 8 << 20},
		err:   "submission bomb.tar.xz unpacks to more than 8 MiB: raise the read limit if it is genuine",
		limit: true,
	}, {
		name:  "bzip2 bomb",
		build: tarOf("bomb.tar.bz2", "bzip2", ent{Name: "zeros.bin", Zeros: 20 << 20}),
		lim:   Limits{MaxReadBytes: 8 << 20},
		err:   "submission bomb.tar.bz2 unpacks to more than 8 MiB: raise the read limit if it is genuine",
		limit: true,
	}} {
		t.Run(c.name, c.run)
	}
}

// hugeDictXz builds an .xz of a small tar whose block header asks for
// the largest LZMA2 dictionary the format allows (4 GiB - 1), with the
// header's checksum made right: a decoder that believes it allocates
// 4 GiB before it reads a byte.
func hugeDictXz(name string) builder {
	return func(t testing.TB, dir string) string {
		t.Helper()
		p := tarOf(name, "xz", ent{Name: "a.c", Body: "int a;"})(t, dir)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		const streamHeader = 12
		size := (int(b[streamHeader]) + 1) * 4 // the block header's real size
		hdr := b[streamHeader : streamHeader+size]
		i := bytes.Index(hdr, []byte{0x21, 0x01}) // the LZMA2 filter, one byte of properties
		if i < 0 {
			t.Fatalf("no LZMA2 filter in the block header % x", hdr)
		}
		hdr[i+2] = 40 // dictionary size 4 GiB - 1
		binary.LittleEndian.PutUint32(hdr[size-4:], crc32.ChecksumIEEE(hdr[:size-4]))
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
}
