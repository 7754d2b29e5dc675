package submit

import (
	"errors"
	"fmt"
)

// Default limits, used for any Limits field left at zero.
const (
	DefaultMaxFiles      = 200
	DefaultMaxFileBytes  = 1 << 20
	DefaultMaxTotalBytes = 8 << 20
	// A repository's .git folder alone can hold thousands of entries,
	// and skipping one costs no more than reading its name.
	DefaultMaxEntries = 100_000
	// Enough for a repository with its screenshots and PDFs in a
	// tar.gz (whose skipped content must still be inflated to reach
	// the next entry); far below what a zip bomb inflates to.
	DefaultMaxReadBytes = 256 << 20
)

// ErrLimit is matched (errors.Is) by the error Stage returns when a
// submission breaks a total limit: too many files or entries, or too many
// bytes. The error is a *LimitError.
var ErrLimit = errors.New("submission exceeds a limit")

// Limits bound what one submission may stage and unpack. The zero value
// means the defaults.
//
// MaxFiles and MaxTotalBytes count the files that are graded: C sources,
// headers, Makefiles and Kbuild files. Other small text files (a README)
// are staged for reference within the same bounds again, and past them
// are left out without an error. Whatever is skipped unread (.git/, build
// products, images, binaries) counts only toward MaxEntries and
// MaxReadBytes.
type Limits struct {
	MaxFiles      int   // graded files staged; default 200
	MaxFileBytes  int64 // per staged file; a larger file is listed and left out; default 1 MiB
	MaxTotalBytes int64 // graded bytes staged; default 8 MiB
	MaxEntries    int   // entries of any kind, skipped ones included; default 100000
	MaxReadBytes  int64 // bytes read or inflated from the submission, skipped content included; default 256 MiB
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
	if l.MaxEntries <= 0 {
		l.MaxEntries = DefaultMaxEntries
	}
	if l.MaxReadBytes <= 0 {
		l.MaxReadBytes = DefaultMaxReadBytes
	}
	return l
}

// LimitError is a submission over one of its Limits. It matches ErrLimit.
type LimitError struct {
	Submission string // the submission's base name
	Limit      string // the Limits field it broke: "MaxFiles", "MaxTotalBytes", "MaxEntries" or "MaxReadBytes"
	Max        int64  // that field's value
}

// Error says what was over which limit and what to do about it.
func (e *LimitError) Error() string {
	s := "submission " + e.Submission
	switch e.Limit {
	case "MaxFiles":
		return fmt.Sprintf("%s has more than %d files to grade (C sources, headers, Makefiles): grade one subfolder or raise the file limit", s, e.Max)
	case "MaxTotalBytes":
		return fmt.Sprintf("%s has more than %s of files to grade (C sources, headers, Makefiles): grade one subfolder or raise the size limit", s, sizeString(e.Max))
	case "MaxEntries":
		return fmt.Sprintf("%s has more than %d entries: raise the entry limit if it is genuine", s, e.Max)
	}
	return fmt.Sprintf("%s unpacks to more than %s: raise the read limit if it is genuine", s, sizeString(e.Max))
}

// Is makes errors.Is(err, ErrLimit) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// sizeString renders a byte count as "8 MiB", "64 KiB" or "100 bytes".
func sizeString(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
