package kernel

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/u-root/u-root/pkg/boot/bzimage"
)

// A bzImage is read with u-root's pkg/boot/bzimage: its header, and its
// payload decompressed in Go (gzip, xz, zstd, lz4), with no host tool.

// bzImageRelease returns the release (first word of the version string) a
// bzImage embeds, e.g. "6.1.0-56-amd64"; data may be the image's head
// only.
func bzImageRelease(data []byte) (string, error) {
	v, err := bzimage.KVer(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("read bzImage version: %w", err)
	}
	fields := strings.Fields(v)
	if len(fields) == 0 {
		return "", errors.New("bzImage has an empty kernel version string")
	}
	return fields[0], nil
}

// ExtractVmlinux decompresses the kernel ELF inside bzImage to out (via a
// temp file and a rename). It returns an error matching ErrNoPVH, and leaves
// out untouched, when that ELF has no PVH entry note and so cannot be booted
// directly: boot the bzImage instead.
func ExtractVmlinux(bzImage, out string) error {
	return extractVmlinux(context.Background(), bzImage, out)
}

// extractVmlinux is ExtractVmlinux; the context is kept for the callers'
// sake (decompression runs in-process and takes seconds).
func extractVmlinux(_ context.Context, bzImage, out string) error {
	if err := extractTo(bzImage, out); err != nil {
		return fmt.Errorf("extract vmlinux from %s: %w", bzImage, err)
	}
	return nil
}

// extractTo does the work of extractVmlinux.
func extractTo(bzImage, out string) error {
	data, err := os.ReadFile(bzImage)
	if err != nil {
		return err
	}
	var bz bzimage.BzImage
	if err := bz.UnmarshalBinary(data); err != nil {
		return fmt.Errorf("not a bzImage, or a damaged one: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temp file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	_, err = tmp.Write(bz.KernelCode)
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
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
