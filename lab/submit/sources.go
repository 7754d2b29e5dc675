package submit

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// stageDir copies the regular files of directory src. Entries are typed
// with lstat semantics, so a symbolic link is listed, never followed, and
// every open goes through an os.Root confined to src.
func stageDir(s *stager, src string) error {
	root, err := os.OpenRoot(src)
	if err != nil {
		return fmt.Errorf("open submission %s: %w", s.label, err)
	}
	s.closers = append(s.closers, root.Close) // an archive inside is read after the walk
	fsys := root.FS()
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if p == "." {
			if err != nil {
				return fmt.Errorf("read submission %s: %w", s.label, err)
			}
			return nil
		}
		if err != nil {
			s.skipped.list(p, "cannot read: "+cause(err))
			return nil
		}
		e := entry{name: p, kind: kindOf(d.Type()), size: -1, open: func() (io.ReadCloser, error) { return openRegular(fsys, p) }}
		if fi, err := d.Info(); err == nil && e.kind == kindFile {
			e.size = fi.Size()
		}
		return s.visit(e)
	})
}

// openRegular opens a file the walk saw as regular, and checks it still is.
func openRegular(fsys fs.FS, p string) (io.ReadCloser, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, errors.New("no longer a regular file")
	}
	return f, nil
}

// stageZip extracts a zip read from r. Its central directory is counted
// before any entry is read, and an entry skipped is never inflated; sizes
// it states serve to skip a file early, and are checked again on reading.
func stageZip(s *stager, r io.ReaderAt, size int64) error {
	zr, err := zip.NewReader(r, size)
	if err != nil && (zr == nil || !errors.Is(err, zip.ErrInsecurePath)) {
		return s.openErr(err)
	}
	if s.entries+len(zr.File) > s.lim.MaxEntries {
		return s.limitErr("MaxEntries", int64(s.lim.MaxEntries))
	}
	for _, zf := range zr.File {
		size := int64(min(zf.UncompressedSize64, 1<<62))
		if err := s.visit(entry{name: zf.Name, kind: kindOf(zf.Mode()), size: size, open: zf.Open}); err != nil {
			return err
		}
	}
	return nil
}
