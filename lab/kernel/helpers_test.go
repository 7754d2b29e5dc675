package kernel

import (
	"bytes"
	"compress/gzip"
	"debug/elf"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// testRelease is the release embedded in synthetic bzImages.
const testRelease = "6.1.0-99-test"

// makeELF returns a minimal x86-64 ELF executable with one PT_NOTE segment
// holding a single note.
func makeELF(t *testing.T, noteName string, noteType uint32) []byte {
	t.Helper()
	var note bytes.Buffer
	name := append([]byte(noteName), 0)
	for len(name)%4 != 0 {
		name = append(name, 0)
	}
	le := binary.LittleEndian
	binary.Write(&note, le, uint32(len(noteName)+1))
	binary.Write(&note, le, uint32(4))
	binary.Write(&note, le, noteType)
	note.Write(name)
	binary.Write(&note, le, uint32(0x1000000)) // desc: entry point

	const ehsize, phsize = 64, 56
	hdr := elf.Header64{
		Type:      uint16(elf.ET_EXEC),
		Machine:   uint16(elf.EM_X86_64),
		Version:   uint32(elf.EV_CURRENT),
		Entry:     0x1000000,
		Phoff:     ehsize,
		Ehsize:    ehsize,
		Phentsize: phsize,
		Phnum:     1,
		Shentsize: 64,
	}
	copy(hdr.Ident[:], elf.ELFMAG)
	hdr.Ident[elf.EI_CLASS] = byte(elf.ELFCLASS64)
	hdr.Ident[elf.EI_DATA] = byte(elf.ELFDATA2LSB)
	hdr.Ident[elf.EI_VERSION] = byte(elf.EV_CURRENT)
	prog := elf.Prog64{
		Type:   uint32(elf.PT_NOTE),
		Flags:  uint32(elf.PF_R),
		Off:    ehsize + phsize,
		Filesz: uint64(note.Len()),
		Memsz:  uint64(note.Len()),
		Align:  4,
	}
	var out bytes.Buffer
	binary.Write(&out, le, hdr)
	binary.Write(&out, le, prog)
	out.Write(note.Bytes())
	return out.Bytes()
}

// pvhELF is a tiny ELF with a PVH note.
func pvhELF(t *testing.T) []byte { return makeELF(t, "Xen", xenElfnotePhys32Entry) }

// plainELF is a tiny ELF whose only note is not a PVH one.
func plainELF(t *testing.T) []byte { return makeELF(t, "GNU", 3) }

// gzipBytes compresses data with gzip.
func gzipBytes(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Offsets into the x86 boot protocol setup header (Documentation/x86/boot.rst),
// for laying out synthetic images.
const (
	offSetupSects    = 0x1f1
	offHeaderMagic   = 0x202
	offVersion       = 0x206
	offKernelVersion = 0x20e
	offPayloadOffset = 0x248
	offPayloadLength = 0x24c
)

// bzImageSpec describes a synthetic bzImage.
type bzImageSpec struct {
	setupSects byte   // 0 means 4, as in the boot protocol
	version    uint16 // boot protocol; 0 means 2.15
	payload    []byte // compressed kernel, without the size trailer
	size       uint32 // trailer: uncompressed size
}

// makeBzImage lays out a bzImage as the kernel's build does: setup
// sectors with the header and the boot signature, then the protected-mode
// part with the payload at a non-zero offset (a gzip payload ends with its
// own size, others get it appended), then a CRC.
func makeBzImage(s bzImageSpec) []byte {
	sects := int(s.setupSects)
	if sects == 0 {
		sects = 4
	}
	if s.version == 0 {
		s.version = 0x20f
	}
	const payloadOffset = 0x100
	body := append([]byte(nil), s.payload...)
	if len(body) < 2 || body[0] != 0x1f || body[1] != 0x8b {
		body = binary.LittleEndian.AppendUint32(body, s.size)
	}
	start := (sects+1)*512 + payloadOffset
	data := make([]byte, start+len(body)+4)
	le := binary.LittleEndian
	data[offSetupSects] = s.setupSects
	data[0x1fe], data[0x1ff] = 0x55, 0xaa
	copy(data[offHeaderMagic:], "HdrS")
	le.PutUint16(data[offVersion:], s.version)
	le.PutUint16(data[offKernelVersion:], 0x100)
	copy(data[0x300:], testRelease+" (test@example) #1 SMP\x00")
	le.PutUint32(data[offPayloadOffset:], payloadOffset)
	le.PutUint32(data[offPayloadLength:], uint32(len(body)))
	copy(data[start:], body)
	return data
}

// gzipBzImage is a bzImage whose gzip payload is kernel.
func gzipBzImage(t *testing.T, kernel []byte) []byte {
	return makeBzImage(bzImageSpec{payload: gzipBytes(t, kernel), size: uint32(len(kernel)), setupSects: 1})
}

// writeFile writes data to dir/name, creating parents, and returns the path.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// testOptions are Options with a temp cache dir that log to t.
func testOptions(t *testing.T) Options {
	return Options{CacheDir: t.TempDir(), Logf: t.Logf}
}
