package submit

import (
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/therootcompany/xz"
)

// format is an archive format staging opens.
type format int

const (
	formatZip format = iota + 1
	formatTar
	formatTarGz
	formatTarXz
	formatTarBz2
)

// formatSuffixes name each format by its extensions, longest first so
// that ".tar.gz" is found before ".tar" could be.
var formatSuffixes = []struct {
	suffix string
	format format
}{
	{".tar.bz2", formatTarBz2}, {".tar.gz", formatTarGz}, {".tar.xz", formatTarXz},
	{".tbz2", formatTarBz2}, {".tar", formatTar}, {".tbz", formatTarBz2}, {".tgz", formatTarGz},
	{".txz", formatTarXz}, {".zip", formatZip},
}

// formatNames lists the formats for messages.
const formatNames = ".zip, .tar, .tar.gz (.tgz), .tar.xz (.txz) or .tar.bz2 (.tbz2)"

// formatOf returns the archive format a file name says, without regard
// to case; ok is false for any other name.
func formatOf(name string) (format, bool) {
	lower := strings.ToLower(name)
	for _, f := range formatSuffixes {
		if strings.HasSuffix(lower, f.suffix) && len(lower) > len(f.suffix) {
			return f.format, true
		}
	}
	return 0, false
}

// xzDictMax bounds the dictionary an .xz stream may ask the decoder to
// allocate: its header can ask for 4 GiB, and a hostile 100-byte file
// would get it. 64 MiB is what xz -9 uses; tar cJf's default uses 8.
const xzDictMax = 64 << 20

// decompressor returns the reader of a tar format's stream; a plain tar
// is read as it is.
func decompressor(f format, r io.Reader) (io.Reader, func(), error) {
	switch f {
	case formatTarGz:
		gz, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, err
		}
		return gz, func() { gz.Close() }, nil
	case formatTarXz:
		// therootcompany/xz (a port of xz-embedded, which u-root uses
		// too) refuses a stream that asks for more than xzDictMax;
		// ulikunitz/xz allocates whatever the header asks for.
		x, err := xz.NewReader(r, xzDictMax)
		if err != nil {
			return nil, nil, explain(err)
		}
		return x, func() {}, nil
	case formatTarBz2:
		return bzip2.NewReader(r), func() {}, nil
	}
	return r, func() {}, nil
}

// explain adds the fix to a decompressor's error a student can cause
// by packing as they usually do not.
func explain(err error) error {
	if errors.Is(err, xz.ErrMemlimit) {
		return fmt.Errorf("%w (more than %s: pack it with xz's default level, or as a .zip)", err, sizeString(xzDictMax))
	}
	return err
}

// stageFile stages the archive f of the given format: the submission
// itself, or the archive found inside it.
func stageFile(s *stager, f *os.File, size int64, fm format) error {
	if fm == formatZip {
		return stageZip(s, f, size)
	}
	return stageTar(s, f, fm)
}

// stageArchive opens the archive src and stages it.
func stageArchive(s *stager, src string, fm format) error {
	f, size, err := openArchive(s, src)
	if err != nil {
		return err
	}
	s.closers = append(s.closers, f.Close) // a zip's entry is read again to unpack the archive inside
	return stageFile(s, f, size, fm)
}

// openArchive opens an archive file and checks it is a regular file.
func openArchive(s *stager, src string) (*os.File, int64, error) {
	f, err := os.Open(src)
	if err != nil {
		return nil, 0, fmt.Errorf("open submission %s: %w", s.label, err)
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("open submission %s: not a regular file", s.label)
	}
	return f, fi.Size(), nil
}
