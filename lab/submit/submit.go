// Package submit stages a student's submission (a directory, .zip, .tar,
// .tar.gz, .tar.xz or .tar.bz2) -> a fresh directory of the files grading reads.
//
// Submissions are hostile input: only regular files are copied, every path
// is checked to stay inside the staging directory (a backslash counts as a
// separator, as Windows tools write it), and the bytes actually unpacked
// (not the sizes an archive claims) are bounded by Limits.
//
// A submission is often a whole repository: .git/, editor folders, build
// products, screenshots and PDFs beside the modules. Staging keeps C
// sources, headers, Makefiles, Kbuild files and small text files, and
// skips the rest by name before reading it (a zip entry skipped is never
// inflated); those skips do not count toward the file limits and are
// summed up in a line per kind in Submission.Skipped, while what a
// student wants to hear about (a link, a path escape, a file over the
// size limit) is listed entry by entry.
//
// A submission whose only content is another archive (an upload a course
// platform wrapped, a zip in a zip) has that archive staged in its place,
// one level deep and within the same limits.
package submit

import (
	"fmt"
	"os"
	"path/filepath"
)

// Options say what Stage takes from a submission and where it puts it.
// The zero value works: default limits, the whole submission, the folder
// named by Name(src).
type Options struct {
	Limits
	// Subdir stages only this folder of every submission (a slash path
	// such as "lab2"), found at the submission's top or inside its one
	// top-level folder (a repository archive's "repo-main/"), matched
	// without regard to case. Its files are staged relative to it.
	Subdir string
	// Name is the student's folder under dst; default Name(src). Names
	// gives every submission of a class a distinct one.
	Name string
}

// Submission is a student's files, staged.
type Submission struct {
	Name string // the student: Options.Name, else Name(src)
	Dir  string // staging directory holding the files, with their relative paths
	// Root is the folder of the submission the files are relative to: the
	// graded subfolder, or the one top-level folder every file was under;
	// "" for the submission's top.
	Root    string
	Files   []string // relative slash paths of the staged regular files, sorted
	Skipped []string // entries listed one per line ("link.c: symbolic link"), then a line per kind skipped unread ("312 version control files not staged (.git/)")
	// Unpacked is the archive inside the submission that was staged in
	// its place (its path in the submission), "" when none was.
	Unpacked string
}

// Stage stages src under dst with the given limits; see StageWith.
func Stage(src, dst string, lim Limits) (*Submission, error) {
	return StageWith(src, dst, Options{Limits: lim})
}

// StageWith copies or extracts src (a directory or an archive) into a new
// directory under dst named after the student, and returns it. It fails
// only when src cannot be read at all, breaks a total limit (errors.Is
// ErrLimit), or lacks the subfolder asked for; single bad entries are
// skipped and listed.
//
// src itself must not be a symbolic link. A previous dst/<Name> is removed
// first, so a rerun restages; on error nothing is left under dst/<Name>.
// Without Options.Subdir, if every staged file sits under one top-level
// directory, that directory is stripped.
func StageWith(src, dst string, o Options) (*Submission, error) {
	label := filepath.Base(filepath.Clean(src))
	run, err := sourceFor(src, label)
	if err != nil {
		return nil, err
	}
	name, err := targetName(src, o.Name)
	if err != nil {
		return nil, err
	}
	subdir, err := cleanSubdir(o.Subdir)
	if err != nil {
		return nil, err
	}
	target := filepath.Join(dst, name)
	if err := prepareTarget(src, dst, target, label); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(dst, ".staging-*")
	if err != nil {
		return nil, fmt.Errorf("create staging dir in %s: %w", dst, err)
	}
	defer os.RemoveAll(tmp)
	s, err := newStager(tmp, dst, label, o.Limits.withDefaults(), subdir)
	if err != nil {
		return nil, err
	}
	err = run(s)
	if err == nil {
		err = s.nest.unpack(s)
	}
	s.close()
	if err != nil {
		return nil, err
	}
	sub, err := s.finish(tmp, target, name)
	if sub != nil {
		sub.Unpacked = s.nest.unpacked
	}
	return sub, err
}

// targetName is the folder a submission is staged in: Options.Name when
// it is a safe folder name, else Name(src).
func targetName(src, name string) (string, error) {
	if name == "" {
		return Name(src), nil
	}
	if !safeName(name) {
		return "", fmt.Errorf("stage submission %s: student name %q is not a folder name: use Name or Names", filepath.Base(src), name)
	}
	return name, nil
}

// sourceFor picks how src is read: as a directory or an archive, by its
// name.
func sourceFor(src, label string) (func(*stager) error, error) {
	fi, err := os.Lstat(src)
	if err != nil {
		return nil, fmt.Errorf("stat submission %s: %w", label, err)
	}
	fm, isArchive := formatOf(label)
	switch {
	case fi.Mode()&os.ModeSymlink != 0:
		return nil, fmt.Errorf("submission %s: is a symbolic link, not a directory or an archive", label)
	case fi.IsDir():
		return func(s *stager) error { return stageDir(s, src) }, nil
	case isArchive && fi.Mode().IsRegular():
		return func(s *stager) error { return stageArchive(s, src, fm) }, nil
	}
	return nil, fmt.Errorf("submission %s: not a directory or a %s archive: unpack it, or pack it as a .zip", label, formatNames)
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

// Read returns the content of a staged file, by its path in Files. It
// reads through an os.Root confined to Dir, so a path from elsewhere (a
// note, a report) cannot lead outside the staging directory. Its
// signature fits assign.PickAll.
func (s *Submission) Read(rel string) ([]byte, error) {
	root, err := os.OpenRoot(s.Dir)
	if err != nil {
		return nil, fmt.Errorf("read staged file %s: %w", rel, err)
	}
	defer root.Close()
	b, err := root.ReadFile(filepath.FromSlash(rel))
	if err != nil {
		return nil, fmt.Errorf("read staged file %s: %w", rel, err)
	}
	return b, nil
}
