package platform

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// plain makes student text safe to show as plain text on a platform:
// valid UTF-8, no control characters but newlines and tabs. A kernel log
// line is the student's: an escape sequence in it could restyle the
// platform's ANSI-rendered output (PrairieLearn colours output) or a
// terminal showing Autolab's.
func plain(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r >= 0x7f && r <= 0x9f:
			return '\uFFFD'
		}
		return r
	}, s)
}

// clip cuts s to at most n bytes (on a character boundary), saying how
// much it cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const note = "\n(%d bytes cut)"
	cut := max(n-len(note)-8, 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf(note, len(s)-cut)
}

// fit renders with smaller and smaller text budgets until the result is
// at most limit bytes: a platform refuses a larger file (PrairieLearn's
// 1 MB), or an environment variable cannot carry it (Classroom's).
func fit(limit int, render func(budget int) ([]byte, error)) ([]byte, error) {
	for budget := 32 << 10; ; budget /= 2 {
		b, err := render(budget)
		if err != nil || len(b) <= limit {
			return b, err
		}
		if budget < 64 {
			return nil, fmt.Errorf("fit %d bytes: the result is %d bytes with no text at all", limit, len(b))
		}
	}
}
