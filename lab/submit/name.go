package submit

import (
	"path/filepath"
	"strings"
)

// archiveSuffixes are the extensions Name strips, longest first.
var archiveSuffixes = []string{".tar.gz", ".tgz", ".zip"}

// Name returns the student name for a submission path (used for sharding
// and output folders before staging): the base name without
// .zip/.tar.gz/.tgz, with every character outside [A-Za-z0-9._-] replaced
// by "_". It is never "", "." or "..".
func Name(src string) string {
	base := filepath.Base(filepath.Clean(src))
	lower := strings.ToLower(base)
	for _, suf := range archiveSuffixes {
		if strings.HasSuffix(lower, suf) && len(base) > len(suf) {
			base = base[:len(base)-len(suf)]
			break
		}
	}
	return sanitize(base)
}

// sanitize keeps [A-Za-z0-9._-] and replaces every other rune with "_";
// a name of only dots (or none at all) becomes underscores.
func sanitize(s string) string {
	clean := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		case r == '.', r == '_', r == '-':
			return r
		}
		return '_'
	}, s)
	if strings.Trim(clean, ".") == "" {
		clean = strings.Repeat("_", max(len(clean), 1))
	}
	return clean
}
