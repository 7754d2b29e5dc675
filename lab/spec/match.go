package spec

import (
	"fmt"
	"regexp"
	"strings"
)

// line is one parsed Output entry.
type line struct {
	text   string         // as written in the spec
	re     *regexp.Regexp // nil for literal text
	repeat bool           // re*: zero or more lines
}

func parseLine(s string) (line, error) {
	pat, repeat := strings.CutPrefix(s, "re*:")
	if !repeat {
		var ok bool
		if pat, ok = strings.CutPrefix(s, "re:"); !ok {
			return line{text: s}, nil
		}
	}
	re, err := compileTolerant(pat, true)
	if err != nil {
		return line{}, fmt.Errorf("output line %q: %w", s, err)
	}
	return line{text: s, re: re, repeat: repeat}, nil
}

// match compares one printed line with the entry, whitespace-tolerant
// (space.go); captured values lose their surrounding blanks.
func (l line) match(got string) (map[string]string, bool) {
	if l.re == nil {
		return nil, squeeze(l.text) == squeeze(got)
	}
	m := l.re.FindStringSubmatch(trimSpace(got))
	if m == nil {
		return nil, false
	}
	caps := map[string]string{}
	for i, n := range l.re.SubexpNames() {
		if n != "" {
			caps[n] = trimSpace(m[i])
		}
	}
	return caps, true
}

// Result is the outcome of matching a step's output.
type Result struct {
	OK bool
	// Diff shows expected against got: "  " both, "- " expected only,
	// "+ " got only.
	Diff []string
	// Rows hold the captured values: one row per line matched by a
	// repeated entry, each also holding the single lines' captures; one
	// row in all when no line matched a repeated entry.
	Rows []map[string]string
}

// Match compares got with the step's Output. Single entries consume one
// line each; a repeated entry takes every following line it matches.
func (st Step) Match(got []string) Result {
	entries := make([]line, len(st.Output))
	for i, s := range st.Output {
		entries[i], _ = parseLine(s) // checked when the spec was parsed
	}
	r := Result{OK: true}
	single := map[string]string{}
	var repeated []map[string]string
	sawRepeat := false
	j := 0
	for i, l := range entries {
		if l.repeat {
			sawRepeat = true
			for ; j < len(got); j++ {
				caps, ok := l.match(got[j])
				if !ok {
					break
				}
				repeated = append(repeated, caps)
				r.Diff = append(r.Diff, "  "+got[j])
			}
			continue
		}
		if j < len(got) {
			if caps, ok := l.match(got[j]); ok {
				for k, v := range caps {
					single[k] = v
				}
				r.Diff = append(r.Diff, "  "+got[j])
				j++
				continue
			}
		}
		r.OK = false
		r.Diff = append(r.Diff, "- "+l.text)
		if j < len(got) && !expectsLater(entries[i+1:], got[j]) {
			r.Diff = append(r.Diff, "+ "+got[j])
			j++
		}
	}
	for ; j < len(got); j++ {
		r.OK = false
		r.Diff = append(r.Diff, "+ "+got[j])
	}
	r.Rows = rows(single, repeated, sawRepeat)
	return r
}

// expectsLater reports whether the next single entry of later matches
// got: then got is not an extra line but the next expected one, and only
// the entry before it is missing.
func expectsLater(later []line, got string) bool {
	for _, l := range later {
		if !l.repeat {
			_, ok := l.match(got)
			return ok
		}
	}
	return false
}

func rows(single map[string]string, repeated []map[string]string, sawRepeat bool) []map[string]string {
	if !sawRepeat || len(repeated) == 0 {
		return []map[string]string{single}
	}
	out := make([]map[string]string, 0, len(repeated))
	for _, r := range repeated {
		row := map[string]string{}
		for k, v := range single {
			row[k] = v
		}
		for k, v := range r {
			row[k] = v
		}
		out = append(out, row)
	}
	return out
}
