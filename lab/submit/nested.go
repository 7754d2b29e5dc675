package submit

import (
	"fmt"
	"io"
	"os"
	"path"
)

// nestLog follows the archives inside a submission. Course platforms
// deliver an upload wrapped in an archive of their own, and students zip
// a zip: a submission whose only content (besides notes and other files
// that are not graded) is one archive has that archive staged in its
// place, one level deep, within the same limits, which count both.
type nestLog struct {
	seen  int    // archives found inside the submission
	first string // the first one's path in the submission
	fm    format
	// open reads the first one's content later (a zip's entry, a
	// folder's file); a tar's entry, which can be read only when met, is
	// copied to copy instead, as long as nothing graded was staged yet.
	open func() (io.ReadCloser, error)
	copy string
	// unpacked is the path of the archive staged in the submission's
	// place, "" when none was.
	unpacked string
}

// note records an archive found at rel inside the submission. Only the
// first can be unpacked, and only while nothing graded was staged:
// another is counted as skipped at once, like any archive.
func (n *nestLog) note(s *stager, rel string, fm format, e entry) error {
	n.seen++
	if n.seen > 1 {
		s.skipped.tally(groupMedia, archiveLabel(rel))
		return nil
	}
	n.first, n.fm = rel, fm
	switch {
	case s.graded.files > 0:
	case !e.stream:
		n.open = e.open
	default:
		rc, err := e.open()
		if err != nil {
			return nil // left out like any archive, at the end
		}
		defer rc.Close()
		return n.keep(s, rc)
	}
	return nil
}

// keep copies the archive's content to a file in the scratch folder,
// charged to MaxReadBytes.
func (n *nestLog) keep(s *stager, r io.Reader) error {
	f, err := os.CreateTemp(s.scratch, ".nested-*")
	if err != nil {
		return fmt.Errorf("copy the archive inside submission %s: %w", s.label, err)
	}
	n.copy = f.Name()
	left := max(s.lim.MaxReadBytes-s.read, 0)
	written, err := io.Copy(f, io.LimitReader(r, left+1))
	s.read += written
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case written > left:
		return s.tooMuchRead()
	case err != nil:
		n.drop() // unreadable: left out like any archive, at the end
	}
	return nil
}

// unpack stages the one archive inside a submission that staged nothing
// graded of its own, in place of the submission; otherwise it counts
// that archive as skipped.
func (n *nestLog) unpack(s *stager) error {
	if n.first == "" {
		return nil
	}
	if n.seen > 1 || s.graded.files > 0 {
		n.drop()
	}
	if n.copy == "" && n.open != nil {
		if rc, err := n.open(); err == nil { // one that does not open is left out like any archive
			err = n.keep(s, rc)
			rc.Close()
			if err != nil {
				return err
			}
		}
	}
	if n.copy == "" {
		s.skipped.tally(groupMedia, archiveLabel(n.first))
		return nil
	}
	f, err := os.Open(n.copy)
	if err != nil {
		return fmt.Errorf("open the archive inside submission %s: %w", s.label, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open the archive inside submission %s: %w", s.label, err)
	}
	n.unpacked, s.inner = n.first, n.first
	defer func() { s.inner = "" }()
	return stageFile(s, f, fi.Size(), n.fm)
}

// drop forgets the archive's content and removes its copy.
func (n *nestLog) drop() {
	n.open = nil
	if n.copy != "" {
		os.Remove(n.copy)
		n.copy = ""
	}
}

// archiveLabel is the label an archive's skipped line shows: "*.zip".
func archiveLabel(rel string) string {
	if _, label := skipFile(rel); label != "" {
		return label
	}
	return "*" + path.Ext(rel)
}
