package assign

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
)

// A version mark ends a file's name and says the file is a later version
// of the file named without it: heap_v2.c, heap-final.c, heap_fixed.c,
// heapV3.c, heap_final_2.c of heap.c. The words and "v" (or "ver",
// "version", "rev") before a number are marked off by a separator ("_",
// "-", ".", a space) or a capital; case does not matter otherwise.
//
// A bare number is not a version mark, with or without a separator:
// the seed names its modules lkm1.c to lkm5.c, and students number
// parts and questions the same way (q2.c, part_2.c), so heap2.c beside
// heap.c is as likely a second program as a second try at the first,
// and taking it on that guess would grade a file the student may not
// have meant; the exact name is kept, as before. "v1" and "v0" mark an
// old copy (see looksOld), not a later one.
type versionMark struct {
	final bool // final, latest or newest: the last version, whatever number others carry
	num   int  // the version number (v3, final2), 0 for none
	word  bool // new, fixed, updated, ...: later than the file without the mark
}

// finalWords mark the last version; laterWords only a later one.
var (
	finalWords = map[string]bool{"final": true, "latest": true, "newest": true}
	laterWords = map[string]bool{"new": true, "newer": true, "fixed": true, "fix": true, "updated": true,
		"update": true, "revised": true, "corrected": true, "improved": true}
	numPrefixes = map[string]bool{"v": true, "ver": true, "version": true, "rev": true}
)

// less orders marks: final or latest before a version number, a higher
// number before a lower, then a word before none.
func (m versionMark) less(o versionMark) bool {
	if m.final != o.final {
		return o.final
	}
	if m.num != o.num {
		return m.num < o.num
	}
	return !m.word && o.word
}

func (m versionMark) merge(o versionMark) versionMark {
	return versionMark{final: m.final || o.final, num: max(m.num, o.num), word: m.word || o.word}
}

// markToken reads one word of a name as a version mark: v2, version3,
// final, final2, fixed.
func markToken(w string) (versionMark, bool) {
	word := strings.TrimRight(w, "0123456789")
	num := 0
	if digits := w[len(word):]; digits != "" {
		n, err := strconv.Atoi(digits)
		if err != nil {
			return versionMark{}, false
		}
		num = n
	}
	switch {
	case numPrefixes[word] && w != word:
		return versionMark{num: num}, true
	case finalWords[word]:
		return versionMark{final: true, num: num}, true
	case laterWords[word]:
		return versionMark{word: true, num: num}, true
	}
	return versionMark{}, false
}

// nameToken is a word of a name and where it starts in the name.
type nameToken struct {
	word  string // lower case
	start int
}

// nameTokens splits a name into words of letters and digits, at other
// characters and where a capital follows a small letter or a digit.
func nameTokens(s string) []nameToken {
	var toks []nameToken
	start := -1
	for i := 0; i <= len(s); i++ {
		c := byte(0)
		if i < len(s) {
			c = s[i]
		}
		lower := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		upper := c >= 'A' && c <= 'Z'
		if start >= 0 && (!lower && !upper || upper && i > 0 && (s[i-1] >= 'a' && s[i-1] <= 'z' || s[i-1] >= '0' && s[i-1] <= '9')) {
			toks = append(toks, nameToken{strings.ToLower(s[start:i]), start})
			start = -1
		}
		if start < 0 && (lower || upper) {
			start = i
		}
	}
	return toks
}

// splitVersion splits a file's base name into its stem, in lower case,
// without the version marks that end it, and those marks: "heap_v2.c"
// gives "heap", "_v2" and v2; "heap.c" gives "heap", "" and no mark. A
// name that is all marks (final.c) has no stem.
func splitVersion(base string) (stem, suffix string, mark versionMark) {
	name := strings.TrimSuffix(base, path.Ext(base))
	toks := nameTokens(name)
	j := len(toks)
	for j > 1 {
		w := toks[j-1].word
		if n, err := strconv.Atoi(w); err == nil && j > 2 {
			// a number on its own, after v or a word: v_2, final-2
			prev := toks[j-2].word
			if numPrefixes[prev] {
				mark, j = mark.merge(versionMark{num: n}), j-2
				continue
			}
			if m, ok := markToken(prev); ok && m.num == 0 && !numPrefixes[prev] {
				m.num = n
				mark, j = mark.merge(m), j-2
				continue
			}
			break
		}
		m, ok := markToken(w)
		if !ok {
			break
		}
		mark, j = mark.merge(m), j-1
	}
	if j == len(toks) {
		return strings.ToLower(name), "", versionMark{}
	}
	cut := toks[j].start
	stem = strings.TrimRightFunc(name[:cut], func(r rune) bool { return notAlnum(r) && !(r >= 'A' && r <= 'Z') })
	return strings.ToLower(stem), name[len(stem):], mark
}

// laterVersion looks, beside f (which task t's pattern took by its
// name), for a later version of f: a module in the same folder named as
// f with a version mark that ranks over f's own (heap_v2.c beside
// heap.c), that does not look old, that no other task's pattern names,
// whose code is not clearly another task's, and that the folder's
// Makefile or Kbuild builds. A Makefile is needed: without one, or with
// one whose module list leaves the file out or cannot be read, a name
// alone is not taken over the exact name. It returns the latest such
// file and the note for taking it; or "" and a note on the marked files
// passed over (not modules, or not built) to append to f's own note.
func (p *picker) laterVersion(t Task, f, pattern, already string) (string, string) {
	if p.read == nil || !isC(f) {
		return "", ""
	}
	dir := path.Dir(f)
	stem, _, own := splitVersion(path.Base(f))
	if stem == "" {
		return "", ""
	}
	type cand struct {
		file, suffix string
		mark         versionMark
	}
	var cands []cand
	var skipped []string
	m := p.makefile(dir)
	for _, s := range p.files {
		if s == f || path.Dir(s) != dir || !isC(s) || p.taken[s] {
			continue
		}
		st, suffix, mark := splitVersion(path.Base(s))
		if st != stem || suffix == "" || !own.less(mark) || looksOld(s) || p.namedForOtherTask(t, s) {
			continue
		}
		_, built := m.ModuleOf(s)
		switch {
		case !p.isModule(s):
			skipped = append(skipped, s+" is named as a later version, but it has no module_init")
		case p.clearlyOther(t, s):
			skipped = append(skipped, s+" is named as a later version, but its code is another task's")
		case p.unbuilt(s):
			if !strings.Contains(already, s) {
				skipped = append(skipped, s+" is named as a later version, but "+p.omitNote(s))
			}
		case !built && m == nil:
			skipped = append(skipped, s+" is named as a later version, but no Makefile in its folder builds it")
		case !built:
			skipped = append(skipped, s+" is named as a later version, but "+m.File+" may not build it")
		default:
			cands = append(cands, cand{s, suffix, mark})
		}
	}
	if len(cands) == 0 {
		if len(skipped) == 0 {
			return "", ""
		}
		return "", "; " + strings.Join(skipped, "; ")
	}
	// the latest; among equals, the first in order of preference
	best := cands[0]
	for _, c := range cands[1:] {
		if best.mark.less(c.mark) {
			best = c
		}
	}
	why := fmt.Sprintf("a later version of %s (its name ends %q", f, best.suffix)
	var lower, equal []string
	for _, c := range cands {
		switch {
		case c.file == best.file:
		case c.mark.less(best.mark):
			lower = append(lower, c.file)
		default:
			equal = append(equal, c.file)
		}
	}
	if len(lower) > 0 {
		why += ", which ranks it over " + strings.Join(lower, ", ") + ": final or latest before a version number, a higher number before a lower"
	}
	if len(equal) > 0 {
		why += "; taken before " + strings.Join(equal, ", ") + ", marked as late, by sort order"
	}
	why += fmt.Sprintf("; %s builds it; passed over %s, whose name matches %s", m.File, f, pattern)
	if len(skipped) > 0 {
		why += "; " + strings.Join(skipped, "; ")
	}
	return best.file, why + ")"
}

// namedForOtherTask reports whether a pattern of a task other than t
// names f.
func (p *picker) namedForOtherTask(t Task, f string) bool {
	return slices.ContainsFunc(p.tasks, func(u Task) bool {
		return u.Name != t.Name && slices.ContainsFunc(u.Files, func(g string) bool { return nameMatch(g, path.Base(f)) })
	})
}
