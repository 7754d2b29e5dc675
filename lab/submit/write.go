package submit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

// copyIn stages a regular file at rel (under the graded subfolder base).
// A graded file (a C source, header, Makefile or Kbuild) that does not
// fit the limits ends staging; any other file is staged only when it is
// text and fits the reference budget, and is counted as skipped if not.
// A file over MaxFileBytes, one that cannot be read, or one whose path
// collides with an earlier entry is listed as skipped.
func (s *stager) copyIn(rel, base string, e entry) error {
	graded := isSource(rel)
	switch {
	case graded && e.size > s.lim.MaxFileBytes:
		s.skipped.list(s.shown(e.name), "larger than "+sizeString(s.lim.MaxFileBytes))
		return nil
	case graded && s.graded.files >= s.lim.MaxFiles:
		return s.limitErr("MaxFiles", int64(s.lim.MaxFiles))
	case !graded && !s.spare.fits(e.size, s.lim):
		s.skipped.tally(groupSpare, rel)
		return nil
	}
	rc, err := e.open()
	if err != nil {
		s.skipped.list(s.shown(e.name), "cannot open: "+cause(err))
		return nil
	}
	defer rc.Close()
	head, readErr := s.readHead(rc, graded)
	if readErr == nil && !graded && bytes.IndexByte(head, 0) >= 0 {
		s.skipped.tally(groupBinary, rel) // read no further: a binary's size does not matter
		s.read += int64(len(head))
		return s.checkRead()
	}
	if readErr == nil && e.size > s.lim.MaxFileBytes {
		s.skipped.list(s.shown(e.name), "larger than "+sizeString(s.lim.MaxFileBytes))
		s.read += int64(len(head))
		return s.checkRead()
	}
	return s.write(rel, base, e, io.MultiReader(bytes.NewReader(head), errReader{readErr}, rc), graded)
}

// readHead reads the first bytes of a file that is not graded, to tell
// text from binary; a graded file is never sniffed.
func (s *stager) readHead(r io.Reader, graded bool) ([]byte, error) {
	if graded {
		return nil, nil
	}
	buf := make([]byte, sniffBytes)
	n, err := io.ReadFull(r, buf)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = nil
	}
	return buf[:n], err
}

// checkRead is the error for a submission read past MaxReadBytes.
func (s *stager) checkRead() error {
	if s.read > s.lim.MaxReadBytes {
		return s.tooMuchRead()
	}
	return nil
}

// errReader returns its error once it is reached; a nil error reads as
// the end of it.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	return 0, io.EOF
}

// fits reports whether one more file of the claimed size (-1: unknown)
// fits a reference budget; the real size is checked after reading.
func (b budget) fits(size int64, lim Limits) bool {
	return b.files < lim.MaxFiles && b.bytes+max(size, 0) <= lim.MaxTotalBytes
}

// write copies r to rel in the staging directory with mode 0644, reading
// at most MaxFileBytes+1 bytes of it, and charges it to its budget.
func (s *stager) write(rel, base string, e entry, r io.Reader, graded bool) error {
	if err := s.mkdirs(path.Dir(rel)); err != nil {
		s.skipped.list(s.shown(e.name), "cannot create its directory: "+cause(err))
		return nil
	}
	f, err := s.root.OpenFile(rel, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		s.skipped.list(s.shown(e.name), "duplicate path")
		return nil
	} else if err != nil {
		s.skipped.list(s.shown(e.name), "cannot create: "+cause(err))
		return nil
	}
	n, readErr, err := s.pour(f, r)
	if err != nil {
		return errors.Join(err, s.remove(rel))
	}
	switch {
	case readErr != nil:
		s.skipped.list(s.shown(e.name), "cannot read: "+cause(readErr))
	case n > s.lim.MaxFileBytes:
		s.skipped.list(s.shown(e.name), "larger than "+sizeString(s.lim.MaxFileBytes))
	case graded:
		return s.charge(rel, base, n)
	case s.spare.fits(n, s.lim):
		s.spare.files++
		s.spare.bytes += n
		s.staged[rel] = base
		return nil
	default:
		s.skipped.tally(groupSpare, rel)
	}
	return errors.Join(s.remove(rel), s.checkRead())
}

// charge counts a staged graded file toward the limits.
func (s *stager) charge(rel, base string, n int64) error {
	s.graded.files++
	s.graded.bytes += n
	s.staged[rel] = base
	if s.graded.bytes > s.lim.MaxTotalBytes {
		return s.tooBig()
	}
	return s.checkRead()
}

// remove deletes a staged file that is not kept.
func (s *stager) remove(rel string) error {
	if err := s.root.Remove(rel); err != nil {
		return fmt.Errorf("remove partial file %s: %w", rel, err)
	}
	return nil
}

// pour copies r to f, keeping at most MaxFileBytes and reading one byte
// more to learn a file is larger. It returns the bytes read, the read
// error, and an error for a failed write, which ends staging.
func (s *stager) pour(f *os.File, r io.Reader) (n int64, readErr, err error) {
	w := &cappedWriter{w: f, left: s.lim.MaxFileBytes}
	w.err = f.Chmod(0o644) // whatever the umask, and never exec or setuid
	if w.err == nil {
		n, readErr = io.Copy(w, io.LimitReader(r, s.lim.MaxFileBytes+1))
		s.read += n
	}
	if w.err != nil {
		readErr = nil
		err = fmt.Errorf("write staged file %s: %w", f.Name(), w.err)
	}
	if cerr := f.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("write staged file %s: %w", f.Name(), cerr)
	}
	return n, readErr, err
}

// cappedWriter writes the first left bytes to w and drops the rest.
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
