package similar

import (
	"strings"
)

// token is one C token after normalizing: identifiers read "V", numbers
// "N", strings "S" and characters "C", so that renaming and retyping
// constants changes nothing; keywords and punctuation stay as written.
// line is where it starts in the file (1-based).
type token struct {
	text string
	line int
}

// keywords stay as they are: they carry the code's shape.
var keywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`auto break case char const continue default do double else enum extern
		float for goto if inline int long register restrict return short signed sizeof static struct switch
		typedef union unsigned void volatile while bool _Bool`) {
		keywords[k] = true
	}
}

// boilerplate are the macros every module calls the same way whatever it
// does: a call of one, with its arguments, is left out.
var boilerplate = map[string]bool{
	"module_init": true, "module_exit": true, "MODULE_LICENSE": true, "MODULE_AUTHOR": true,
	"MODULE_DESCRIPTION": true, "MODULE_VERSION": true, "MODULE_ALIAS": true, "MODULE_INFO": true,
	"module_param": true, "module_param_named": true, "module_param_array": true, "MODULE_PARM_DESC": true,
	"EXPORT_SYMBOL": true, "EXPORT_SYMBOL_GPL": true,
}

// normalize turns C source into the tokens compared: comments and
// preprocessor lines (#include, version checks) go, and so do the
// boilerplate macro calls.
func normalize(src string) []token {
	raw := lex(src)
	var out []token
	for i := 0; i < len(raw); i++ {
		t := raw[i]
		if boilerplate[t.text] && i+1 < len(raw) && raw[i+1].text == "(" {
			i = skipCall(raw, i+1)
			continue
		}
		out = append(out, token{text: class(t.text), line: t.line})
	}
	return out
}

// skipCall returns the index of the last token of a call whose "(" is at
// open: its closing ")" and a ";" after it.
func skipCall(ts []token, open int) int {
	depth := 0
	for j := open; j < len(ts); j++ {
		switch ts[j].text {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				if j+1 < len(ts) && ts[j+1].text == ";" {
					return j + 1
				}
				return j
			}
		}
	}
	return len(ts) - 1
}

// class is what a raw token becomes.
func class(s string) string {
	c := s[0]
	switch {
	case c == '"':
		return "S"
	case c == '\'':
		return "C"
	case c >= '0' && c <= '9' || c == '.' && len(s) > 1 && s[1] >= '0' && s[1] <= '9':
		return "N"
	case isIdentStart(c):
		if keywords[s] {
			return s
		}
		return "V"
	}
	return s
}

// lex splits C source into raw tokens with their lines. It is a lexer for
// comparing, not compiling: it never fails, and text it cannot read
// (student files may hold anything) becomes one-byte tokens.
func lex(src string) []token {
	var ts []token
	line, bol := 1, true
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			line, bol = line+1, true
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '#' && bol:
			i, line = skipDirective(src, i, line)
			continue
		case strings.HasPrefix(src[i:], "//"):
			i = skipLine(src, i)
			continue
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				end = len(src) - i - 4
			}
			line += strings.Count(src[i:i+2+end+2], "\n")
			i += 2 + end + 2
			continue
		}
		bol = false
		n := tokenLen(src[i:])
		ts = append(ts, token{text: src[i : i+n], line: line})
		line += strings.Count(src[i:i+n], "\n")
		i += n
	}
	return ts
}

// skipDirective skips a preprocessor line and its continuations.
func skipDirective(src string, i, line int) (int, int) {
	for i < len(src) {
		j := skipLine(src, i)
		if j > i && j <= len(src) && strings.HasSuffix(strings.TrimRight(src[i:j], "\r"), "\\") {
			i, line = j+1, line+1
			continue
		}
		return j, line
	}
	return i, line
}

// skipLine returns the index of the newline ending the line at i.
func skipLine(src string, i int) int {
	if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(src)
}

// tokenLen is the length of the token at the start of s (never 0).
func tokenLen(s string) int {
	c := s[0]
	switch {
	case isIdentStart(c):
		return runOf(s, isIdent)
	case c >= '0' && c <= '9' || c == '.' && len(s) > 1 && s[1] >= '0' && s[1] <= '9':
		return runOf(s, func(b byte) bool { return isIdent(b) || b == '.' })
	case c == '"' || c == '\'':
		return quoted(s)
	}
	for _, op := range []string{"<<=", ">>=", "...", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
		"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^="} {
		if strings.HasPrefix(s, op) {
			return len(op)
		}
	}
	return 1
}

// quoted is the length of a string or character literal, up to its
// closing quote or the end of the line.
func quoted(s string) int {
	q := s[0]
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case q:
			return i + 1
		case '\n':
			return i
		}
	}
	return len(s)
}

func runOf(s string, ok func(byte) bool) int {
	n := 1
	for n < len(s) && ok(s[n]) {
		n++
	}
	return n
}

func isIdentStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isIdent(c byte) bool      { return isIdentStart(c) || c >= '0' && c <= '9' }
