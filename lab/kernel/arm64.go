package kernel

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// arm64Magic is "ARM\x64" at offset 56 of an arm64 kernel Image (the
// header of Documentation/arm64/booting.rst).
var arm64Magic = []byte("ARM\x64")

// arm64Image makes the Image QEMU boots from Debian's arm64 vmlinuz: a
// gzip-compressed Image (the arm64 kernel cannot decompress itself, so
// QEMU would inflate it on every boot) is inflated once to <tmp>/Image;
// an Image as it is (the EFI-signed form) is booted as shipped. It
// returns the path the kernel will have once renamed into place.
func (st staging) arm64Image(vmlinuz string) (string, error) {
	start := time.Now()
	f, err := os.Open(vmlinuz)
	if err != nil {
		return "", fmt.Errorf("read arm64 image: %w", err)
	}
	defer f.Close()
	head := make([]byte, 64)
	n, err := io.ReadFull(f, head)
	if n < 2 {
		return "", fmt.Errorf("read arm64 image %s: %w", vmlinuz, err)
	}
	head = head[:n] // a small gzip stream is shorter than an Image's header
	rel, err := filepath.Rel(st.tmp, vmlinuz)
	if err != nil {
		return "", fmt.Errorf("place arm64 image: %w", err)
	}
	if len(head) >= 60 && bytes.Equal(head[56:60], arm64Magic) {
		return filepath.Join(st.final, rel), nil
	}
	if head[0] != 0x1f || head[1] != 0x8b {
		return "", fmt.Errorf("arm64 image %s is neither an Image (no ARM\\x64 magic) nor gzip: the package changed its format", vmlinuz)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("read arm64 image: %w", err)
	}
	if err := inflate(f, filepath.Join(st.tmp, "Image")); err != nil {
		return "", fmt.Errorf("inflate arm64 image %s: %w", vmlinuz, err)
	}
	st.logf("kernel: inflated the arm64 Image in %s", since(start))
	return filepath.Join(st.final, "Image"), nil
}

// inflate writes the gzip stream r holds to out.
func inflate(r io.Reader, out string) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	w, err := os.Create(out)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, zr); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
