// Package submit stages a student's submission (a directory, .zip, .tar.gz or .tgz) -> a fresh directory of its regular files.
//
// Submissions are hostile input: only regular files are copied, every path
// is checked to stay inside the staging directory (a backslash counts as a
// separator, as Windows tools write it), and the bytes actually unpacked
// (not the sizes an archive claims) are bounded by Limits. Entries left
// out are listed in Submission.Skipped with the reason.
package submit

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Default limits, used for any Limits field left at zero.
const (
	DefaultMaxFiles      = 200
	DefaultMaxFileBytes  = 1 << 20
	DefaultMaxTotalBytes = 8 << 20
)

// ErrLimit is matched (errors.Is) by the error Stage returns when a
// submission breaks a total limit: too many files or entries, or too many
// bytes.
var ErrLimit = errors.New("submission exceeds a limit")

// Limits bound what one submission may unpack to. The zero value means the defaults.
type Limits struct {
	MaxFiles      int   // default 200; an archive may hold at most 4x as many entries
	MaxFileBytes  int64 // default 1 MiB per file
	MaxTotalBytes int64 // default 8 MiB per submission
}

// withDefaults replaces zero (or negative) fields with the defaults.
func (l Limits) withDefaults() Limits {
	if l.MaxFiles <= 0 {
		l.MaxFiles = DefaultMaxFiles
	}
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = DefaultMaxFileBytes
	}
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = DefaultMaxTotalBytes
	}
	return l
}

// maxEntries is how many entries of any kind a submission may hold.
func (l Limits) maxEntries() int { return l.MaxFiles * 4 }

// Submission is a student's files, staged.
type Submission struct {
	Name    string   // the student: directory base name, or archive base name without .zip/.tar.gz/.tgz
	Dir     string   // staging directory holding the regular files, with their relative paths
	Files   []string // relative slash paths of the staged regular files, sorted
	Skipped []string // one line per entry left out and why: "link.c: symbolic link", "../x: path escapes the submission"
}

// Stage copies or extracts src (a directory or an archive) into a new
// directory under dst named after the student, and returns it. It fails
// only when src cannot be read at all or breaks a total limit (too many
// files, too many bytes); single bad entries are skipped and listed.
//
// src itself must not be a symbolic link. A previous dst/<Name> is removed
// first, so a rerun restages; on error nothing is left under dst/<Name>.
// If every staged file sits under one top-level directory, that directory
// is stripped.
func Stage(src, dst string, lim Limits) (*Submission, error) {
	label := filepath.Base(filepath.Clean(src))
	run, err := sourceFor(src, label)
	if err != nil {
		return nil, err
	}
	name := Name(src)
	target := filepath.Join(dst, name)
	if err := prepareTarget(src, dst, target, label); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(dst, ".staging-*")
	if err != nil {
		return nil, fmt.Errorf("create staging dir in %s: %w", dst, err)
	}
	defer os.RemoveAll(tmp)
	s, err := newStager(tmp, label, lim.withDefaults())
	if err != nil {
		return nil, err
	}
	err = run(s)
	s.close()
	if err != nil {
		return nil, err
	}
	return s.finish(tmp, target, name)
}

// sourceFor picks how src is read: as a directory, a zip or a gzipped tar.
func sourceFor(src, label string) (func(*stager) error, error) {
	fi, err := os.Lstat(src)
	if err != nil {
		return nil, fmt.Errorf("stat submission %s: %w", label, err)
	}
	lower := strings.ToLower(label)
	switch {
	case fi.Mode()&os.ModeSymlink != 0:
		return nil, fmt.Errorf("submission %s: is a symbolic link, not a directory or an archive", label)
	case fi.IsDir():
		return func(s *stager) error { return stageDir(s, src) }, nil
	case strings.HasSuffix(lower, ".zip") && fi.Mode().IsRegular():
		return func(s *stager) error { return stageZip(s, src) }, nil
	case (strings.HasSuffix(lower, ".tar.gz") || strings.HasSuffix(lower, ".tgz")) && fi.Mode().IsRegular():
		return func(s *stager) error { return stageTarGz(s, src) }, nil
	}
	return nil, fmt.Errorf("submission %s: not a directory, .zip, .tar.gz or .tgz", label)
}

// prepareTarget refuses a target that overlaps src, removes what a previous
// run staged there and makes sure dst exists.
func prepareTarget(src, dst, target, label string) error {
	srcAbs, err := filepath.Abs(src)
	if err != nil {
		return fmt.Errorf("resolve submission %s: %w", label, err)
	}
	targetAbs, err := filepath.Abs(target)
	if err != nil {
		return fmt.Errorf("resolve staging dir %s: %w", target, err)
	}
	if within(srcAbs, targetAbs) || within(targetAbs, srcAbs) {
		return fmt.Errorf("stage submission %s: staging dir %s overlaps the submission", label, target)
	}
	if err := os.RemoveAll(target); err != nil {
		return fmt.Errorf("remove old staging dir %s: %w", target, err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return fmt.Errorf("create staging root %s: %w", dst, err)
	}
	return nil
}

// within reports whether path p is dir or lies under it (both absolute).
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	if err != nil {
		return false
	}
	return rel == "." || filepath.IsLocal(rel)
}
