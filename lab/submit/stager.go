package submit

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
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
	size int64                         // the size the source claims, -1 if unknown; checked again on reading
	open func() (io.ReadCloser, error) // its content; regular files only
}

// stager writes the entries of one submission into a staging directory
// and keeps the counts the limits are checked against.
type stager struct {
	root    *os.Root // the staging directory; nothing is written outside it
	label   string   // the submission's base name, for messages
	lim     Limits
	subdir  string // the graded subfolder, "" for all
	entries int
	read    int64 // bytes read from the submission's files
	graded  budget
	spare   budget            // other text files, staged for reference
	staged  map[string]string // staged path -> the subfolder it is under ("" without Options.Subdir)
	tops    map[string]bool   // top-level names seen, for an error about a missing subfolder
	skipped skipLog
}

// budget is what one kind of staged file has used of the limits.
type budget struct {
	files int
	bytes int64
}

// newStager opens the staging directory dir.
func newStager(dir, label string, lim Limits, subdir string) (*stager, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open staging dir %s: %w", dir, err)
	}
	return &stager{root: root, label: label, lim: lim, subdir: subdir,
		staged: map[string]string{}, tops: map[string]bool{}}, nil
}

// close releases the staging directory.
func (s *stager) close() { s.root.Close() }

// limitErr is the error for a broken total limit.
func (s *stager) limitErr(field string, max int64) error {
	return &LimitError{Submission: s.label, Limit: field, Max: max}
}

// tooBig is the error for graded files over MaxTotalBytes.
func (s *stager) tooBig() error { return s.limitErr("MaxTotalBytes", s.lim.MaxTotalBytes) }

// tooMuchRead is the error for a submission that inflates past MaxReadBytes.
func (s *stager) tooMuchRead() error { return s.limitErr("MaxReadBytes", s.lim.MaxReadBytes) }

// visit stages one entry: a regular file at a safe path that grading can
// use is copied in; what is skipped is listed or counted. Only a broken
// total limit, or a failure to write the staging directory, is an error.
func (s *stager) visit(e entry) error {
	s.entries++
	if s.entries > s.lim.MaxEntries {
		return s.limitErr("MaxEntries", int64(s.lim.MaxEntries))
	}
	if e.kind == kindDir {
		return nil // created as needed for the files inside
	}
	rel, reason := cleanPath(e.name)
	if reason != "" {
		s.skipped.list(e.name, reason)
		return nil
	}
	base, ok := s.place(rel)
	if !ok {
		s.skipped.tally(groupOutside, "")
		return nil
	}
	if g, label := skipDir(rel); g != groupNone {
		s.skipped.tally(g, label)
		return nil
	}
	if e.kind != kindFile {
		s.skipped.list(e.name, reasons[e.kind])
		return nil
	}
	if g, label := skipFile(rel); g != groupNone {
		s.skipped.tally(g, label)
		return nil
	}
	return s.copyIn(rel, base, e)
}

// place notes rel's top-level name and returns the graded subfolder it
// is under; ok is false when a subfolder is asked for and rel is not in it.
func (s *stager) place(rel string) (base string, ok bool) {
	if len(s.tops) < 4*maxTops {
		top, rest, deeper := strings.Cut(rel, "/")
		s.tops[top] = true
		if second, _, ok := strings.Cut(rest, "/"); deeper && ok {
			s.tops[top+"/"+second] = true // inside a wrapper folder, the names an error shows
		}
	}
	if s.subdir == "" {
		return "", true
	}
	return subdirBase(rel, s.subdir)
}
