package submit

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reasons an entry's name is refused.
const (
	reasonEscapes  = "path escapes the submission"
	reasonDotDot   = "path contains .."
	reasonAbsolute = "absolute path"
	reasonNUL      = "name contains a NUL byte"
	reasonEmpty    = "empty name"
	reasonControl  = "name contains a control or formatting character"
)

// maxDepth and maxPathBytes bound an entry's path: no student's work
// lies 32 folders deep, and staging a path costs the host time in
// proportion to its depth (a 10 KB archive held one 1800 folders deep).
const (
	maxDepth     = 32
	maxPathBytes = 1024
)

var (
	reasonDeep = fmt.Sprintf("path is deeper than %d folders", maxDepth)
	reasonLong = fmt.Sprintf("path is longer than %d bytes", maxPathBytes)
)

// slashed turns backslashes into slashes, so that "..\\x" written by a
// Windows tool is checked (and refused) like "../x".
func slashed(name string) string { return strings.ReplaceAll(name, `\`, "/") }

// cleanPath returns the relative slash path an entry is staged at, or the
// reason it is refused: absolute, with a ".." element, with a NUL, or not
// local for any other reason. A name with a control character (a newline)
// or a Unicode formatting one (a right-to-left override) is refused too:
// staged paths end up in reports, where such a name could forge lines or
// show itself as another file.
func cleanPath(name string) (rel, reason string) {
	if strings.IndexByte(name, 0) >= 0 {
		return "", reasonNUL
	}
	if strings.ContainsFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) {
		return "", reasonControl
	}
	p := slashed(name)
	if strings.HasPrefix(p, "/") || filepath.VolumeName(p) != "" {
		return "", reasonAbsolute
	}
	rel = path.Clean(p)
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", reasonEscapes
	}
	for _, elem := range strings.Split(p, "/") {
		if elem == ".." {
			return "", reasonDotDot
		}
	}
	if rel == "." || rel == "" {
		return "", reasonEmpty
	}
	if len(rel) > maxPathBytes {
		return "", reasonLong
	}
	if strings.Count(rel, "/") >= maxDepth {
		return "", reasonDeep
	}
	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return "", reasonEscapes
	}
	return rel, ""
}

// maxDisplay is how many bytes of an entry name a Skipped line shows.
const maxDisplay = 200

// display renders an entry name for a one-line Skipped entry: as is when
// printable, quoted when it holds control characters or invalid UTF-8,
// and cut short when very long.
func display(name string) string {
	cut, more := name, ""
	if len(name) > maxDisplay {
		cut, more = name[:maxDisplay], "..."
	}
	printable := !strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) })
	if utf8.ValidString(name) && printable {
		return strings.ToValidUTF8(cut, "") + more
	}
	return strconv.Quote(cut) + more
}

// cause is an error's message without the operation and path a
// *fs.PathError adds (they name staging paths, not the entry).
func cause(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
