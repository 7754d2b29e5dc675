package spec

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
)

// Whitespace tolerance: the seed's modules print tabs, students print
// spaces, and neither changes what a line says. Any run of spaces and tabs
// stands for any other, and leading and trailing ones do not count. Case
// still does.

func isBlank(r rune) bool { return r == ' ' || r == '\t' }

// squeeze collapses runs of spaces and tabs to one space and trims them.
func squeeze(s string) string {
	return strings.Join(strings.FieldsFunc(s, isBlank), " ")
}

func trimSpace(s string) string { return strings.Trim(s, " \t") }

// compileTolerant compiles a spec's regular expression so that each
// literal run of spaces or tabs, and each class of whitespace only (\s,
// [ \t]), matches any run of spaces and tabs; whole anchors it to a line.
// It rewrites the parsed expression rather than the text, so escapes,
// classes and groups keep their meaning.
func compileTolerant(pat string, whole bool) (*regexp.Regexp, error) {
	pat = strings.TrimLeft(pat, " \t")
	if t := strings.TrimRight(pat, " \t"); !strings.HasSuffix(t, `\`) {
		pat = t
	}
	tree, err := syntax.Parse(pat, syntax.Perl)
	if err != nil {
		return nil, err
	}
	s := widen(tree).String()
	if whole {
		s = "^(?:" + s + ")$"
	}
	re, err := regexp.Compile(s)
	if err != nil {
		return nil, fmt.Errorf("widen whitespace: %w", err)
	}
	return re, nil
}

// blanks matches one or more spaces or tabs.
func blanks() *syntax.Regexp {
	class := &syntax.Regexp{Op: syntax.OpCharClass, Rune: []rune{'\t', '\t', ' ', ' '}}
	return &syntax.Regexp{Op: syntax.OpPlus, Sub: []*syntax.Regexp{class}}
}

func widen(re *syntax.Regexp) *syntax.Regexp {
	switch re.Op {
	case syntax.OpLiteral:
		return widenLiteral(re)
	case syntax.OpCharClass:
		if whitespaceOnly(re.Rune) {
			return blanks()
		}
	}
	for i, sub := range re.Sub {
		re.Sub[i] = widen(sub)
	}
	return re
}

// widenLiteral splits a literal at its runs of spaces and tabs.
func widenLiteral(re *syntax.Regexp) *syntax.Regexp {
	if !strings.ContainsAny(string(re.Rune), " \t") {
		return re
	}
	cat := &syntax.Regexp{Op: syntax.OpConcat}
	var text []rune
	flush := func() {
		if len(text) > 0 {
			cat.Sub = append(cat.Sub, &syntax.Regexp{Op: syntax.OpLiteral, Rune: text, Flags: re.Flags})
			text = nil
		}
	}
	for i, r := range re.Rune {
		if !isBlank(r) {
			text = append(text, r)
			continue
		}
		if i == 0 || !isBlank(re.Rune[i-1]) {
			flush()
			cat.Sub = append(cat.Sub, blanks())
		}
	}
	flush()
	if len(cat.Sub) == 1 {
		return cat.Sub[0]
	}
	return cat
}

// whitespaceOnly reports whether a class's ranges hold only whitespace,
// as \s and [ \t] do.
func whitespaceOnly(ranges []rune) bool {
	if len(ranges) == 0 {
		return false
	}
	for i := 0; i+1 < len(ranges); i += 2 {
		for r := ranges[i]; r <= ranges[i+1]; r++ {
			if !strings.ContainsRune(" \t\n\v\f\r", r) {
				return false
			}
		}
	}
	return true
}
