package submit

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxNameBytes bounds the readable part of a name; with its hash it stays
// far below the 255 bytes a folder name may have.
const maxNameBytes = 64

// hashLen is how many hex digits of the original name's SHA-256 a
// sanitized name carries: enough that two names that sanitize alike
// differ, short enough to read.
const hashLen = 6

// Name returns the student name for a submission path (used for sharding
// and output folders before staging): the base name without its archive
// extension (.zip, .tar, .tar.gz, .tgz, .tar.xz, .txz, .tar.bz2, .tbz2, .tbz), in Unicode NFC, keeping letters (of any script),
// digits, ".", "_" and "-". When that changes the name (another character
// becomes "_", a leading "." does, the name is cut to 64 bytes, or it was
// not in NFC), "-" and a short hash of the original are appended, so two
// different names never give the same one: "Zoë" stays "Zoë", "Zoë" in
// NFD form becomes "Zoë-1a2b3c", "a b" becomes "a_b-4d5e6f".
//
// Two submissions of one student (alice/ and alice.zip) get the same
// Name; Names tells them apart.
func Name(src string) string {
	return nameFor(stripArchive(filepath.Base(filepath.Clean(src))))
}

// stripArchive removes an archive extension, keeping a name of it alone.
func stripArchive(base string) string {
	lower := strings.ToLower(base)
	for _, f := range formatSuffixes {
		if strings.HasSuffix(lower, f.suffix) && len(base) > len(f.suffix) {
			return base[:len(base)-len(f.suffix)]
		}
	}
	return base
}

// nameFor makes a folder name of base: base itself when it is one, else
// its sanitized form with a hash of base.
func nameFor(base string) string {
	clean := sanitize(base)
	if clean == base {
		return clean
	}
	return clean + "-" + shortHash(base)
}

// sanitize keeps letters, marks, digits, ".", "_" and "-" of s in NFC and
// replaces every other rune (and invalid UTF-8) with "_", then makes a
// leading "." (hidden, "..") and a trailing one (which Windows drops) a
// "_", and cuts the result to maxNameBytes.
func sanitize(s string) string {
	clean := []rune(norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD")))
	for i, r := range clean {
		if !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._-", r) {
			clean[i] = '_'
		}
	}
	if len(clean) == 0 {
		clean = []rune{'_'}
	}
	if clean[0] == '.' {
		clean[0] = '_'
	}
	if clean[len(clean)-1] == '.' {
		clean[len(clean)-1] = '_'
	}
	out := string(clean)
	for len(out) > maxNameBytes {
		_, size := utf8.DecodeLastRuneInString(out)
		out = out[:len(out)-size]
	}
	return out
}

// shortHash is a stable short digest of s.
func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:hashLen]
}

// safeName reports whether name can be a student's folder: not empty,
// no separator or NUL, no leading "." (".", ".." or hidden), valid UTF-8
// and not too long.
func safeName(name string) bool {
	return name != "" && len(name) <= 255 && utf8.ValidString(name) && !strings.HasPrefix(name, ".") &&
		!strings.ContainsAny(name, "/\\\x00")
}

// Names gives every submission of a class its own student name, the same
// whatever the order of srcs: Name(src), unless another submission has
// the same one (or one equal but for case, which a case-insensitive
// filesystem would merge). Those get their base name with its extension
// ("alice" and "alice.zip"), or when that is shared too (two folders'
// "alice.zip"), Name plus a hash of the path given.
func Names(srcs []string) map[string]string {
	srcs = slices.Sorted(slices.Values(srcs))
	srcs = slices.Compact(srcs)
	groups := map[string][]string{}
	for _, src := range srcs {
		k := fold(Name(src))
		groups[k] = append(groups[k], src)
	}
	names := map[string]string{}
	used := map[string]bool{}
	for k, g := range groups {
		if len(g) == 1 {
			names[g[0]] = Name(g[0])
			used[k] = true
		}
	}
	for _, src := range srcs {
		if _, done := names[src]; !done {
			names[src] = distinctName(src, groups[fold(Name(src))], used)
			used[fold(names[src])] = true
		}
	}
	return names
}

// distinctName names src, one of group (submissions whose Name is the
// same), with a name no other has taken.
func distinctName(src string, group []string, used map[string]bool) string {
	base := filepath.Base(filepath.Clean(src))
	full := nameFor(base)
	shared := 0
	for _, other := range group {
		if fold(nameFor(filepath.Base(filepath.Clean(other)))) == fold(full) {
			shared++
		}
	}
	name := full
	if shared > 1 || used[fold(full)] {
		name = Name(src) + "-" + shortHash(filepath.Clean(src))
	}
	for i := 2; used[fold(name)]; i++ {
		name = Name(src) + "-" + shortHash(filepath.Clean(src)) + "-" + strconv.Itoa(i) // only on a hash collision
	}
	return name
}

// fold is the form two names are compared in: case-insensitive, as on
// the filesystems of macOS and Windows.
func fold(name string) string { return strings.ToLower(name) }
