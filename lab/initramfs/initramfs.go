// Package initramfs packs a test guest: agent + .ko files + plan -> an
// uncompressed cpio archive, through u-root's uimage.
package initramfs

import (
	"compress/gzip"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/lkmlab/lkmlab/lab/plan"
	"github.com/u-root/mkuimage/uimage"
	"github.com/u-root/uio/llog"
)

// File is one file to put into the archive.
type File struct {
	Host  string // path on the host
	Guest string // absolute path in the guest
}

// Spec is what goes into an archive.
type Spec struct {
	Agent string // the agent binary; see Agent
	Plan  *plan.Plan
	Files []File // .ko files and support modules, at the paths the plan names
	// Gzip compresses the archive, as most initramfs builders do; lkmlab
	// itself does not (see Write), the bench measures the difference.
	Gzip bool
}

// Write packs spec into an uncompressed cpio archive at out. Uncompressed,
// because under TCG the kernel's own decompression costs more than reading
// the larger file.
func Write(spec Spec, out string) error {
	tmp, err := os.MkdirTemp("", "lkmlab-initramfs-")
	if err != nil {
		return fmt.Errorf("write initramfs: %w", err)
	}
	defer os.RemoveAll(tmp)
	planFile := filepath.Join(tmp, "plan.json")
	if err := spec.Plan.Write(planFile); err != nil {
		return fmt.Errorf("write initramfs: plan: %w", err)
	}
	files := []string{spec.Agent + ":init", planFile + ":" + strings.TrimPrefix(plan.Path, "/")}
	for _, f := range spec.Files {
		files = append(files, f.Host+":"+strings.TrimPrefix(f.Guest, "/"))
	}
	cpio := out
	if spec.Gzip {
		cpio = filepath.Join(tmp, "initramfs.cpio")
	}
	logger := llog.New(slog.LevelError, func(string, ...any) {})
	err = uimage.Create(logger,
		uimage.WithBaseArchive(uimage.DefaultRamfs()),
		uimage.WithFiles(files...),
		uimage.WithSkipLDD(),
		uimage.WithTempDir(tmp),
		uimage.WithCPIOOutput(cpio),
	)
	if err != nil {
		return fmt.Errorf("write initramfs %s: %w", out, err)
	}
	if spec.Gzip {
		return gzipFile(cpio, out)
	}
	return nil
}

func gzipFile(in, out string) error {
	b, err := os.ReadFile(in)
	if err != nil {
		return fmt.Errorf("compress initramfs: %w", err)
	}
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("compress initramfs: %w", err)
	}
	zw := gzip.NewWriter(f)
	_, err = zw.Write(b)
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("compress initramfs: %w", err)
	}
	return nil
}
