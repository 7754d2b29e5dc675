package assign

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// moduleRE marks a C file as a kernel module: only those are candidates
// for detection by content (a user-space test program is not).
var moduleRE = regexp.MustCompile(`\bmodule_init\s*\(|\binit_module\s*\(`)

// detector is a task's Detect patterns, compiled: a file is the task's
// when every positive pattern matches its text and no negative one does.
type detector struct {
	pos, neg []*regexp.Regexp
}

// CheckDetect reports the first Detect pattern that is not a valid
// regular expression. A pattern that starts with "!" must not match.
func CheckDetect(patterns []string) error {
	_, err := compileDetect(patterns)
	return err
}

// compileDetect compiles a task's Detect patterns; nil when it has none.
func compileDetect(patterns []string) (*detector, error) {
	if len(patterns) == 0 {
		return nil, nil
	}
	d := &detector{}
	for _, p := range patterns {
		expr, negated := strings.CutPrefix(p, "!")
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, fmt.Errorf("detect pattern %q: %w", p, err)
		}
		if negated {
			d.neg = append(d.neg, re)
		} else {
			d.pos = append(d.pos, re)
		}
	}
	return d, nil
}

// maxEvidence is how many distinct matches a note shows.
const maxEvidence = 3

// match reports whether text is the task's, and the evidence: the
// distinct text the positive patterns found, the first few.
func (d *detector) match(text string) (bool, []string) {
	var found []string
	for _, re := range d.pos {
		ms := re.FindAllString(text, -1)
		if len(ms) == 0 {
			return false, nil
		}
		for _, m := range ms {
			if m = shorten(m); len(found) < maxEvidence && !slices.Contains(found, m) {
				found = append(found, m)
			}
		}
	}
	for _, re := range d.neg {
		if re.MatchString(text) {
			return false, nil
		}
	}
	return true, found
}

// because says why a file was taken by its text: "its text mentions
// start_brk", "... and none of task_struct, for_each_process, ...".
func (d *detector) because(found []string) string {
	s := "its text mentions " + strings.Join(found, ", ")
	if len(found) == 0 {
		s = "its text matches"
	}
	for _, re := range d.neg {
		s += " and none of " + alternatives(re.String())
	}
	return s
}

// alternatives shows a pattern's top-level alternatives, the first few.
func alternatives(expr string) string {
	var alts []string
	depth, start := 0, 0
	for i := 0; i < len(expr); i++ {
		switch expr[i] {
		case '\\':
			i++
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case '|':
			if depth == 0 {
				alts = append(alts, expr[start:i])
				start = i + 1
			}
		}
	}
	alts = append(alts, expr[start:])
	if len(alts) > 3 {
		alts = append(alts[:3:3], "...")
	}
	return strings.Join(alts, ", ")
}

// shorten cuts evidence to a readable length.
func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// codeText is a C file's text without its comments, so a comment copied
// from the seed ("mm->brk - mm->start_brk") is no evidence; string and
// character literals are kept (what a module prints is evidence).
func codeText(src []byte) string {
	var b strings.Builder
	b.Grow(len(src))
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '"' || c == '\'':
			i = copyLiteral(&b, src, i)
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				return b.String()
			}
			b.WriteByte(' ')
			i += 2 + end + 1
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			i = skipLineComment(src, i)
			b.WriteByte('\n')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// copyLiteral copies the literal starting at src[i] (its quote) to b and
// returns the index of its closing quote, or of the line's end.
func copyLiteral(b *strings.Builder, src []byte, i int) int {
	quote := src[i]
	b.WriteByte(quote)
	for i++; i < len(src); i++ {
		b.WriteByte(src[i])
		switch src[i] {
		case '\\':
			if i+1 < len(src) {
				i++
				b.WriteByte(src[i])
			}
		case quote, '\n':
			return i
		}
	}
	return i
}

// skipLineComment returns the index of the newline ending the // comment
// at src[i] (a backslash before the newline continues it, as in C).
func skipLineComment(src []byte, i int) int {
	for ; i < len(src); i++ {
		if src[i] == '\n' && src[i-1] != '\\' {
			return i
		}
	}
	return i
}
