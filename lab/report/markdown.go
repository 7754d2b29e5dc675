package report

import "strings"

// Student text (kernel log lines, compiler output, file names, reasons)
// goes into Markdown that people read rendered, on GitHub or in an editor's
// preview. It must never render as markup: no live HTML, no link or image
// (an image is fetched on sight), no emphasis or heading that changes what
// a grade looks like. The two helpers below are the only way student text
// enters Markdown; no library offers escaping for CommonMark+GFM, so it is
// written here and tested against a real renderer.

// MarkdownText escapes s for inline Markdown: a heading, a list item, a
// table cell or running text. Line breaks become spaces (a line break could
// start a new block), Markdown's inline metacharacters are
// backslash-escaped, HTML's are written as entities, URL and www autolinks
// are broken, and a character that would start a block at the beginning of
// the text (a list, a heading, a quote) is escaped. Leading and trailing
// white space is dropped: indented text would be code in a list item, and
// emphasis around the text would not close.
func MarkdownText(s string) string {
	s = strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD"))
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i, r := range s {
		switch {
		case r == '\r' || r == '\n' || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case isControl(r):
			b.WriteRune('\uFFFD') // NUL, terminal escapes and the like
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case strings.ContainsRune("\\`*_[]|~$#@", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == ':' && strings.HasPrefix(s[i+1:], "//"), r == '.' && endsWithFold(s[:i], "www"):
			b.WriteByte('\\') // "https\://x" and "www\.x" are not autolinked
			b.WriteRune(r)
		case i == 0 && strings.ContainsRune("-+=", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return escapeListNumber(b.String())
}

// escapeListNumber escapes "12." or "12)" at the start of text, which
// would otherwise begin an ordered list in a list item.
func escapeListNumber(s string) string {
	n := 0
	for n < len(s) && n < 10 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n > 0 && n < len(s) && (s[n] == '.' || s[n] == ')') {
		return s[:n] + "\\" + s[n:]
	}
	return s
}

func endsWithFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// MarkdownFence writes s as a fenced code block with info string info
// ("", "diff"): the fence is longer than any run of backticks in s, so no
// line of s can close it (CommonMark's rule), and nothing inside renders.
// Invalid UTF-8 and control characters other than tab are replaced so an
// editor or terminal shows the block as text.
func MarkdownFence(info, s string) string {
	s = strings.TrimRight(cleanControl(s), "\n")
	fence := strings.Repeat("`", max(3, longestRun(s, '`')+1))
	return fence + info + "\n" + s + "\n" + fence + "\n"
}

// cleanControl replaces invalid UTF-8 and control characters other than
// tab and newline with U+FFFD; a lone CR is a line ending in CommonMark,
// so it is dropped from CRLF and replaced elsewhere.
func cleanControl(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if r != '\n' && isControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// isControl reports the C0 and C1 control characters other than tab:
// terminals act on them (an escape sequence can rewrite what a grader sees).
func isControl(r rune) bool {
	return r < 0x20 && r != '\t' || r >= 0x7f && r <= 0x9f
}

func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}
