package spec

import (
	"fmt"
	"strings"
)

// The truth language is small enough that a hand-written lexer and
// recursive-descent parser (expr.go) are shorter and give better error
// messages (a column, the names that exist) than an expression library,
// and they let the evaluator keep values as text until a rule says how to
// read them (decimal, hex, a list, a fact that moved).

type tokKind int

const (
	tEOF  tokKind = iota
	tNum          // 42, 0x2a
	tStr          // "text" or 'text', no escapes
	tName         // pid, w.pid
	tOp           // == != <= >= < > && || ! + - * / % ( ) ,
)

type token struct {
	kind tokKind
	text string
	pos  int // byte offset in the rule, for error columns
}

func (t token) String() string {
	if t.kind == tEOF {
		return "end of rule"
	}
	return fmt.Sprintf("%q", t.text)
}

var ops = []string{"==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "+", "-", "*", "/", "%", "(", ")", ","}

func lex(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
			continue
		case c == '"' || c == '\'':
			end := strings.IndexByte(s[i+1:], c)
			if end < 0 {
				return nil, fmt.Errorf("column %d: unterminated string", i+1)
			}
			toks = append(toks, token{tStr, s[i+1 : i+1+end], i})
			i += end + 2
			continue
		case isDigit(c):
			j := i + 1
			for j < len(s) && isWord(s[j]) {
				j++
			}
			if _, ok := readNumber(s[i:j], false); !ok {
				return nil, fmt.Errorf("column %d: %q is not a number (decimal, or hex with 0x)", i+1, s[i:j])
			}
			toks = append(toks, token{tNum, s[i:j], i})
			i = j
			continue
		case isWord(c):
			j := i
			for j < len(s) && (isWord(s[j]) || s[j] == '.') {
				j++
			}
			name := s[i:j]
			if parts := strings.Split(name, "."); len(parts) > 2 || slicesContainsEmpty(parts) {
				return nil, fmt.Errorf("column %d: %q is not a name (a capture like pid, or a fact like w.pid)", i+1, name)
			}
			toks = append(toks, token{tName, name, i})
			i = j
			continue
		}
		op := ""
		for _, o := range ops {
			if strings.HasPrefix(s[i:], o) {
				op = o
				break
			}
		}
		if op == "" {
			if c == '=' {
				return nil, fmt.Errorf("column %d: \"=\" is not an operator (compare with ==)", i+1)
			}
			return nil, fmt.Errorf("column %d: unexpected %q", i+1, string(c))
		}
		toks = append(toks, token{tOp, op, i})
		i += len(op)
	}
	return append(toks, token{tEOF, "", len(s)}), nil
}

func slicesContainsEmpty(parts []string) bool {
	for _, p := range parts {
		if p == "" {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWord(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}
