package submit

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// finish moves the staged files to target, from the graded subfolder
// or else stripping a single top-level directory they all share, and
// describes the result.
func (s *stager) finish(tmp, target, name string) (*Submission, error) {
	root, err := s.gradedRoot()
	if err != nil {
		return nil, err
	}
	var files []string
	for f, base := range s.staged {
		if base != root && s.subdir != "" {
			s.skipped.tally(groupOutside, "") // a second copy of the subfolder, in another wrapper
			continue
		}
		files = append(files, f)
	}
	slices.Sort(files)
	if s.subdir == "" {
		root = commonTop(files)
	}
	from := tmp
	if root != "" {
		from = filepath.Join(tmp, filepath.FromSlash(root))
		for i, f := range files {
			files[i] = strings.TrimPrefix(f, root+"/")
		}
	}
	if err := os.Rename(from, target); err != nil {
		return nil, fmt.Errorf("move staged files to %s: %w", target, err)
	}
	if err := os.Chmod(target, 0o755); err != nil {
		return nil, fmt.Errorf("set mode of %s: %w", target, err)
	}
	return &Submission{Name: name, Dir: target, Root: root, Files: files, Skipped: s.skipped.report(s.subdir)}, nil
}

// gradedRoot is the graded subfolder as staged ("" without Options.Subdir),
// or the error for a submission that has none.
func (s *stager) gradedRoot() (string, error) {
	if s.subdir == "" {
		return "", nil
	}
	var bases []string
	for _, b := range s.staged {
		bases = append(bases, b)
	}
	if len(bases) == 0 {
		return "", noSubdirError(s.label, s.subdir, topNames(s.tops))
	}
	return chooseBase(bases), nil
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
