package bundle

import (
	"archive/zip"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// WriteDir writes files under dir.
func WriteDir(dir string, files []File) error {
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("write bundle: %w", err)
		}
		if err := os.WriteFile(p, f.Data, f.Mode); err != nil {
			return fmt.Errorf("write bundle: %w", err)
		}
		if err := os.Chmod(p, f.Mode); err != nil { // over an older file's mode, and the umask
			return fmt.Errorf("write bundle: %w", err)
		}
	}
	return nil
}

// zipTime stamps every entry, so that equal bundles are equal zips.
var zipTime = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteZip writes files into a zip archive at p, with their modes (run_autograder
// must stay executable).
func WriteZip(p string, files []File) (err error) {
	out, err := os.Create(p)
	if err != nil {
		return fmt.Errorf("write zip: %w", err)
	}
	defer func() {
		if cerr := out.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write zip: %w", cerr)
		}
	}()
	zw := zip.NewWriter(out)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.Path, Method: zip.Deflate, Modified: zipTime}
		h.SetMode(f.Mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return fmt.Errorf("write zip: %w", err)
		}
		if _, err := w.Write(f.Data); err != nil {
			return fmt.Errorf("write zip: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write zip: %w", err)
	}
	return nil
}
