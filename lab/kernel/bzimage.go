package kernel

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Offsets into the x86 boot protocol setup header (Documentation/x86/boot.rst).
const (
	offSetupSects    = 0x1f1
	offHeaderMagic   = 0x202
	offVersion       = 0x206
	offKernelVersion = 0x20e
	offPayloadOffset = 0x248
	offPayloadLength = 0x24c
	setupHeaderEnd   = 0x250
	minPayloadProto  = 0x208 // first protocol with payload_offset/length
	sectorSize       = 512
	sizeTrailerLen   = 4 // uncompressed size the kernel build appends to the payload
)

// Payload compression magics.
var (
	xzMagic   = []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// setupHeader holds the bzImage header fields this package reads.
type setupHeader struct {
	setupSects    int
	version       uint16
	kernelVersion uint16
	payloadOffset uint32
	payloadLength uint32
}

// parseSetupHeader reads and checks the setup header of a bzImage.
func parseSetupHeader(data []byte) (setupHeader, error) {
	var h setupHeader
	if len(data) < setupHeaderEnd {
		return h, errors.New("not a bzImage: file is shorter than the x86 setup header")
	}
	if string(data[offHeaderMagic:offHeaderMagic+4]) != "HdrS" {
		return h, errors.New(`not a bzImage: no "HdrS" magic at offset 0x202`)
	}
	le := binary.LittleEndian
	h.setupSects = int(data[offSetupSects])
	if h.setupSects == 0 {
		h.setupSects = 4
	}
	h.version = le.Uint16(data[offVersion:])
	h.kernelVersion = le.Uint16(data[offKernelVersion:])
	h.payloadOffset = le.Uint32(data[offPayloadOffset:])
	h.payloadLength = le.Uint32(data[offPayloadLength:])
	return h, nil
}

// payload returns the compressed kernel inside a bzImage, without the 4-byte
// uncompressed size trailer, and that size.
func payload(data []byte) ([]byte, uint32, error) {
	h, err := parseSetupHeader(data)
	if err != nil {
		return nil, 0, err
	}
	if h.version < minPayloadProto {
		return nil, 0, fmt.Errorf("boot protocol %d.%02d is older than 2.08 and has no payload offset",
			h.version>>8, h.version&0xff)
	}
	start := int64(h.setupSects+1)*sectorSize + int64(h.payloadOffset)
	end := start + int64(h.payloadLength)
	if h.payloadLength <= sizeTrailerLen || end > int64(len(data)) {
		return nil, 0, fmt.Errorf("payload at %d+%d lies outside the %d-byte file: the image is truncated",
			start, h.payloadLength, len(data))
	}
	body := data[start : end-sizeTrailerLen]
	size := binary.LittleEndian.Uint32(data[end-sizeTrailerLen : end])
	return body, size, nil
}

// bzImageRelease returns the release (first word of the version string) a
// bzImage embeds, e.g. "6.1.0-56-amd64".
func bzImageRelease(data []byte) (string, error) {
	h, err := parseSetupHeader(data)
	if err != nil {
		return "", err
	}
	off := int(h.kernelVersion) + 0x200
	if h.kernelVersion == 0 || off >= len(data) {
		return "", errors.New("bzImage has no kernel version string")
	}
	str, _, _ := bytes.Cut(data[off:], []byte{0})
	fields := strings.Fields(string(str))
	if len(fields) == 0 {
		return "", errors.New("bzImage has an empty kernel version string")
	}
	return fields[0], nil
}

// ExtractVmlinux decompresses the kernel ELF inside bzImage to out (via a
// temp file and a rename). It returns an error matching ErrNoPVH, and leaves
// out untouched, when that ELF has no PVH entry note and so cannot be booted
// directly: boot the bzImage instead. xz and zstd payloads need the xz and
// zstd commands.
func ExtractVmlinux(bzImage, out string) error {
	return extractVmlinux(context.Background(), bzImage, out)
}

// extractVmlinux is ExtractVmlinux with a context for the decompressor.
func extractVmlinux(ctx context.Context, bzImage, out string) error {
	if err := extractTo(ctx, bzImage, out); err != nil {
		return fmt.Errorf("extract vmlinux from %s: %w", bzImage, err)
	}
	return nil
}

// extractTo does the work of extractVmlinux.
func extractTo(ctx context.Context, bzImage, out string) error {
	data, err := os.ReadFile(bzImage)
	if err != nil {
		return err
	}
	body, size, err := payload(data)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temp file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	written, err := decompressTo(ctx, body, tmp)
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("write %s: %w", tmp.Name(), cerr)
	}
	if err != nil {
		return err
	}
	if written != int64(size) {
		return fmt.Errorf("decompressed %d bytes but the image says %d: the payload is corrupt", written, size)
	}
	if err := checkPVH(tmp.Name()); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("chmod %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("rename to %s: %w", out, err)
	}
	return nil
}

// checkPVH returns nil when path is an ELF with a PVH note, ErrNoPVH when it
// is an ELF without one, and another error otherwise.
func checkPVH(path string) error {
	ok, err := hasPVHNote(path)
	if err != nil {
		return fmt.Errorf("check decompressed kernel: %w", err)
	}
	if !ok {
		return ErrNoPVH
	}
	return nil
}

// decompressTo writes the decompressed payload to w, detecting the format
// from its magic, and returns the bytes written.
func decompressTo(ctx context.Context, body []byte, w io.Writer) (int64, error) {
	switch {
	case bytes.HasPrefix(body, xzMagic):
		return filterCommand(ctx, body, w, "xz", "xz-utils")
	case bytes.HasPrefix(body, zstdMagic):
		return filterCommand(ctx, body, w, "zstd", "zstd")
	case bytes.HasPrefix(body, gzipMagic):
		return gunzip(body, w)
	}
	n := min(len(body), 6)
	return 0, fmt.Errorf("unsupported payload compression (magic % x): only xz, gzip and zstd kernels are handled; rebuild with CONFIG_KERNEL_XZ, _GZIP or _ZSTD", body[:n])
}

// gunzip decompresses a single gzip stream.
func gunzip(body []byte, w io.Writer) (int64, error) {
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("gunzip payload: %w", err)
	}
	zr.Multistream(false)
	bw := bufio.NewWriterSize(w, 1<<20)
	n, err := io.Copy(bw, zr)
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return n, fmt.Errorf("gunzip payload: %w", err)
	}
	return n, nil
}

// filterCommand pipes body through "<name> -dc" into w. It shells out
// because the kernel's xz stream uses the x86 BCJ filter.
func filterCommand(ctx context.Context, body []byte, w io.Writer, name, debianPackage string) (int64, error) {
	if err := requireTool(name, debianPackage); err != nil {
		return 0, err
	}
	cw := &countingWriter{w: w}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, "-dc")
	cmd.Stdin = bytes.NewReader(body)
	dieWithParent(cmd)
	cmd.Stdout = cw
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return cw.n, fmt.Errorf("%s -dc: %w%s", name, err, tail(stderr.String()))
	}
	return cw.n, nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

// Write implements io.Writer.
func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
