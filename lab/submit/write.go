package submit

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// copyIn writes a regular file's content to rel in the staging directory
// with mode 0644. A file over MaxFileBytes, one that cannot be read, or
// one whose path collides with an earlier entry is skipped.
func (s *stager) copyIn(rel string, e entry) error {
	rc, err := e.open()
	if err != nil {
		s.skip(e.name, "cannot open: "+cause(err))
		return nil
	}
	defer rc.Close()
	if err := s.mkdirs(path.Dir(rel)); err != nil {
		s.skip(e.name, "cannot create its directory: "+cause(err))
		return nil
	}
	f, err := s.root.OpenFile(rel, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		s.skip(e.name, "duplicate path")
		return nil
	} else if err != nil {
		s.skip(e.name, "cannot create: "+cause(err))
		return nil
	}
	n, readErr, err := s.pour(f, rc)
	if err == nil && n <= s.lim.MaxFileBytes && readErr == nil {
		s.staged = append(s.staged, rel)
		return nil
	}
	if rmErr := s.root.Remove(rel); rmErr != nil && err == nil {
		err = fmt.Errorf("remove partial file %s: %w", rel, rmErr)
	}
	switch {
	case err != nil:
		return err
	case readErr != nil:
		s.skip(e.name, "cannot read: "+cause(readErr))
	default:
		s.skip(e.name, "larger than "+sizeString(s.lim.MaxFileBytes))
	}
	return nil
}

// pour copies r to f, keeping at most MaxFileBytes but reading on (and
// counting every byte toward MaxTotalBytes) to learn the real size. It
// returns the bytes read, the read error, and an error for a broken
// total limit or a failed write, which end staging.
func (s *stager) pour(f *os.File, r io.Reader) (n int64, readErr, err error) {
	w := &cappedWriter{w: f, left: s.lim.MaxFileBytes}
	w.err = f.Chmod(0o644) // whatever the umask, and never exec or setuid
	if w.err == nil {
		n, readErr = io.Copy(w, io.LimitReader(r, s.lim.MaxTotalBytes-s.total+1))
		s.total += n
	}
	if w.err != nil {
		readErr = nil
		err = fmt.Errorf("write staged file %s: %w", f.Name(), w.err)
	}
	if cerr := f.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("write staged file %s: %w", f.Name(), cerr)
	}
	if err == nil && s.total > s.lim.MaxTotalBytes {
		err = s.tooBig()
	}
	return n, readErr, err
}

// cappedWriter writes the first left bytes to w and drops the rest, so a
// copy through it reads its source to the end.
type cappedWriter struct {
	w    io.Writer
	left int64
	err  error
}

// Write keeps what fits and reports every byte as written.
func (c *cappedWriter) Write(p []byte) (int, error) {
	keep := p[:min(int64(len(p)), max(c.left, 0))]
	if len(keep) > 0 {
		n, err := c.w.Write(keep)
		c.left -= int64(n)
		if err != nil {
			c.err = err
			return n, err
		}
	}
	return len(p), nil
}

// mkdirs creates dir and its parents in the staging directory, mode 0755.
func (s *stager) mkdirs(dir string) error {
	if dir == "." {
		return nil
	}
	cur := ""
	for _, elem := range strings.Split(dir, "/") {
		cur = path.Join(cur, elem)
		err := s.root.Mkdir(cur, 0o755)
		if errors.Is(err, fs.ErrExist) {
			continue
		} else if err != nil {
			return err
		}
		if err := s.chmodDir(cur); err != nil {
			return err
		}
	}
	return nil
}

// chmodDir sets a directory it created to 0755 whatever the umask.
func (s *stager) chmodDir(dir string) error {
	d, err := s.root.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Chmod(0o755)
}

// finish moves the staged files to target, stripping a single top-level
// directory they all share, and describes the result.
func (s *stager) finish(tmp, target, name string) (*Submission, error) {
	files := slices.Sorted(slices.Values(s.staged))
	from := tmp
	if top := commonTop(files); top != "" {
		from = filepath.Join(tmp, filepath.FromSlash(top))
		for i, f := range files {
			files[i] = strings.TrimPrefix(f, top+"/")
		}
	}
	if err := os.Rename(from, target); err != nil {
		return nil, fmt.Errorf("move staged files to %s: %w", target, err)
	}
	if err := os.Chmod(target, 0o755); err != nil {
		return nil, fmt.Errorf("set mode of %s: %w", target, err)
	}
	return &Submission{Name: name, Dir: target, Files: files, Skipped: append([]string{}, s.skipped...)}, nil
}

// commonTop returns the one top-level directory every file is under, or
// "" when some file sits at the top or the files are under several.
func commonTop(files []string) string {
	top := ""
	for _, f := range files {
		first, _, ok := strings.Cut(f, "/")
		if !ok || (top != "" && first != top) {
			return ""
		}
		top = first
	}
	return top
}

// sizeString renders a byte count as "8 MiB", "64 KiB" or "100 bytes".
func sizeString(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
