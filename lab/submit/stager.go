package submit

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// kind is what an entry is, as far as staging cares.
type kind int

const (
	kindFile kind = iota
	kindDir
	kindSymlink
	kindHardlink
	kindDevice
	kindFIFO
	kindSocket
	kindOther
)

// reasons are the Skipped reasons for entries that are not regular files.
var reasons = map[kind]string{
	kindSymlink:  "symbolic link",
	kindHardlink: "hard link",
	kindDevice:   "device file",
	kindFIFO:     "named pipe",
	kindSocket:   "socket",
	kindOther:    "not a regular file",
}

// kindOf classifies a file mode.
func kindOf(m fs.FileMode) kind {
	switch {
	case m.IsRegular():
		return kindFile
	case m.IsDir():
		return kindDir
	case m&fs.ModeSymlink != 0:
		return kindSymlink
	case m&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return kindDevice
	case m&fs.ModeNamedPipe != 0:
		return kindFIFO
	case m&fs.ModeSocket != 0:
		return kindSocket
	}
	return kindOther
}

// entry is one member of a submission as a source reports it.
type entry struct {
	name string                        // the path as stored, unchecked
	kind kind                          // what the entry is
	open func() (io.ReadCloser, error) // its content; regular files only
}

// stager writes the entries of one submission into a staging directory
// and keeps the counts the limits are checked against.
type stager struct {
	root    *os.Root // the staging directory; nothing is written outside it
	label   string   // the submission's base name, for messages
	lim     Limits
	entries int
	files   int
	total   int64 // bytes read from regular files, kept or not
	staged  []string
	skipped []string
}

// newStager opens the staging directory dir.
func newStager(dir, label string, lim Limits) (*stager, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open staging dir %s: %w", dir, err)
	}
	return &stager{root: root, label: label, lim: lim}, nil
}

// close releases the staging directory.
func (s *stager) close() { s.root.Close() }

// skip lists an entry as left out.
func (s *stager) skip(name, reason string) {
	s.skipped = append(s.skipped, display(name)+": "+reason)
}

// limitError is a broken total limit; it matches ErrLimit.
type limitError struct{ msg string }

func (e *limitError) Error() string        { return e.msg }
func (e *limitError) Is(target error) bool { return target == ErrLimit }

// limitErr is the error for a broken total limit, naming the submission.
func (s *stager) limitErr(format string, args ...any) error {
	return &limitError{msg: "submission " + s.label + " " + fmt.Sprintf(format, args...)}
}

// tooBig is the error for a submission over MaxTotalBytes.
func (s *stager) tooBig() error {
	return s.limitErr("unpacks to more than %s", sizeString(s.lim.MaxTotalBytes))
}

// visit stages one entry: a regular file at a safe path is copied in,
// anything else is listed as skipped. Only a broken total limit, or a
// failure to write the staging directory, is an error.
func (s *stager) visit(e entry) error {
	s.entries++
	if s.entries > s.lim.maxEntries() {
		return s.limitErr("has more than %d entries", s.lim.maxEntries())
	}
	if isMacMeta(e.name) {
		s.skip(e.name, reasonMacOS)
		return nil
	}
	if e.kind == kindDir {
		return nil // created as needed for the files inside
	}
	if e.kind != kindFile {
		s.skip(e.name, reasons[e.kind])
		return nil
	}
	rel, reason := cleanPath(e.name)
	if reason != "" {
		s.skip(e.name, reason)
		return nil
	}
	s.files++
	if s.files > s.lim.MaxFiles {
		return s.limitErr("has more than %d files", s.lim.MaxFiles)
	}
	return s.copyIn(rel, e)
}
