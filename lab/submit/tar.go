package submit

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
)

// errStreamCap is what the decompressed tar stream returns past its cap.
var errStreamCap = errors.New("archive stream too long")

// stageTarGz extracts a gzipped tar. A tar has no index: reaching the
// next entry means inflating the content of the one skipped, so the whole
// decompressed stream, headers included, is capped at MaxReadBytes, and
// entries skipped unread (.git/, links, bad paths) cannot make it inflate
// without bound.
func stageTarGz(s *stager, src string) error {
	f, _, err := openArchive(s, src)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("open submission %s: %w", s.label, err)
	}
	defer gz.Close()
	stream := &capReader{r: gz, left: s.lim.MaxReadBytes}
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
	if s.entries == 0 {
		return fmt.Errorf("read submission %s: %w", s.label, err)
	}
	s.skipped.list("(rest of the archive)", "cannot read: "+err.Error())
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
	return entry{name: hdr.Name, kind: k, size: hdr.Size, open: open}
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
