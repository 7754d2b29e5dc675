package submit

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
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
	// stream says open works only until the next entry (a tar's), not
	// any time later (a zip's, a folder's).
	stream bool
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
	scratch string         // a folder for a copy of an archive inside the submission
	nest    nestLog        // archives inside the submission, and the one unpacked
	inner   string         // while the archive inside is staged: its path in the submission
	closers []func() error // what the sources keep open until staging ends
}

// budget is what one kind of staged file has used of the limits.
type budget struct {
	files int
	bytes int64
}

// newStager opens the staging directory dir.
// A copy of an archive inside the submission goes in scratch, outside dir.
func newStager(dir, scratch, label string, lim Limits, subdir string) (*stager, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open staging dir %s: %w", dir, err)
	}
	return &stager{root: root, scratch: scratch, label: label, lim: lim, subdir: subdir,
		staged: map[string]string{}, tops: map[string]bool{}}, nil
}

// close releases the staging directory and any copy of an archive.
func (s *stager) close() {
	s.root.Close()
	s.nest.drop()
	for _, c := range s.closers {
		c()
	}
}

// openErr is the error for an archive that cannot be opened: the
// submission's own ends staging; the one inside it is listed as skipped,
// since what the submission holds beside it was read.
func (s *stager) openErr(err error) error {
	if s.inner != "" {
		s.skipped.list(s.inner, "cannot read: "+cause(err))
		return nil
	}
	return fmt.Errorf("open submission %s: %w", s.label, err)
}

// shown is an entry's name as Skipped lists it: inside the archive that
// is inside the submission, after that archive's path.
func (s *stager) shown(name string) string {
	if s.inner == "" {
		return name
	}
	return s.inner + ": " + name
}

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
		s.skipped.list(s.shown(e.name), reason)
		return nil
	}
	if s.inner != "" {
		rel = path.Join(path.Dir(s.inner), rel) // beside the archive it came in: checked alone above, so still inside
	}
	if fm, ok := s.archiveAt(rel, e); ok {
		return s.nest.note(s, rel, fm, e) // before the subfolder: it may be inside the archive
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
		s.skipped.list(s.shown(e.name), reasons[e.kind])
		return nil
	}
	if g, label := skipFile(rel); g != groupNone {
		s.skipped.tally(g, label)
		return nil
	}
	return s.copyIn(rel, base, e)
}

// archiveAt returns the format of an archive inside the submission that
// may be staged in its place (see nestLog): a regular file named like
// an archive, outside the folders skipped whole, not macOS metadata,
// and not inside the archive that is itself inside.
func (s *stager) archiveAt(rel string, e entry) (format, bool) {
	if s.inner != "" || e.kind != kindFile {
		return 0, false
	}
	if g, _ := skipDir(rel); g != groupNone {
		return 0, false
	}
	if g, _ := skipFile(rel); g != groupNone && g != groupMedia {
		return 0, false
	}
	return formatOf(rel)
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
