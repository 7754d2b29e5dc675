package submit

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
)

// errStreamCap is what the decompressed tar stream returns past its cap.
var errStreamCap = errors.New("archive stream too long")

// stageTar extracts a tar, compressed as fm says, read from r. A tar
// has no index: reaching the next entry means inflating the content of
// the one skipped, so the whole decompressed stream, headers included, is
// capped at what is left of MaxReadBytes, and entries skipped unread
// (.git/, links, bad paths) cannot make it inflate without bound.
func stageTar(s *stager, r io.Reader, fm format) error {
	dr, done, err := decompressor(fm, r)
	if err != nil {
		return s.openErr(err)
	}
	defer done()
	stream := &capReader{r: dr, left: s.lim.MaxReadBytes - s.read}
	defer func() { s.read = max(s.read, s.lim.MaxReadBytes-stream.left) }() // a nested archive's budget is what is left
	tr := tar.NewReader(stream)
	for {
		hdr, err := tr.Next()
		switch {
		case stream.hit:
			return s.tooMuchRead()
		case err == io.EOF:
			return nil
		case err != nil && !errors.Is(err, tar.ErrInsecurePath):
			return s.tarBroken(err)
		}
		if err := s.visit(tarEntry(hdr, tr)); err != nil {
			return err
		}
		if stream.hit {
			return s.tooMuchRead()
		}
	}
}

// tarBroken handles a tar stream that stops making sense: an error if
// nothing was read from it, else the rest is listed as skipped.
func (s *stager) tarBroken(err error) error {
	err = explain(err)
	if s.entries == 0 {
		return fmt.Errorf("read submission %s: %w", s.label, err)
	}
	s.skipped.list(s.shown("(rest of the archive)"), "cannot read: "+err.Error())
	return nil
}

// tarEntry describes a tar header as an entry whose content is tr's.
func tarEntry(hdr *tar.Header, tr *tar.Reader) entry {
	k := kindOther
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeGNUSparse:
		k = kindFile
	case tar.TypeDir:
		k = kindDir
	case tar.TypeSymlink:
		k = kindSymlink
	case tar.TypeLink:
		k = kindHardlink
	case tar.TypeChar, tar.TypeBlock:
		k = kindDevice
	case tar.TypeFifo:
		k = kindFIFO
	}
	open := func() (io.ReadCloser, error) { return io.NopCloser(tr), nil }
	return entry{name: hdr.Name, kind: k, size: hdr.Size, open: open, stream: true}
}

// capReader reads at most left bytes from r and records an attempt to
// read past them, which it fails with errStreamCap.
type capReader struct {
	r    io.Reader
	left int64
	hit  bool
}

// Read reads from r within the cap.
func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var probe [1]byte
		if n, err := c.r.Read(probe[:]); n == 0 {
			return 0, err
		}
		c.hit = true
		return 0, errStreamCap
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
