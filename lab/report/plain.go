package report

import "strings"

// PlainLine makes student text one line of plain text for a terminal or a
// line-based format (KTAP, a log line): line breaks become " | ", and
// control characters (escapes a terminal acts on), the C1 range and the
// bidirectional overrides (text that displays in another order than it
// reads) become U+FFFD. Invalid UTF-8 becomes U+FFFD too.
func PlainLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.NewReplacer("\r\n", " | ", "\n", " | ", "\r", " | ").Replace(s)
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return r
		case r < 0x20, r >= 0x7f && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return '\uFFFD'
		}
		return r
	}, s)
}
