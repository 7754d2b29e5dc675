package spec

import (
	"errors"
	"fmt"
	"slices"
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
		if s[i] == ' ' || s[i] == '\t' {
			i++
			continue
		}
		t, err := lexOne(s, i)
		if err != nil {
			return nil, fmt.Errorf("column %d: %w", i+1, err)
		}
		toks = append(toks, t)
		i += len(t.text)
		if t.kind == tStr {
			i += 2 // the quotes
		}
	}
	return append(toks, token{tEOF, "", len(s)}), nil
}

// lexOne reads the token that starts at s[i].
func lexOne(s string, i int) (token, error) {
	c := s[i]
	switch {
	case c == '"' || c == '\'':
		end := strings.IndexByte(s[i+1:], c)
		if end < 0 {
			return token{}, errors.New("unterminated string")
		}
		return token{tStr, s[i+1 : i+1+end], i}, nil
	case isDigit(c):
		text := s[i:wordEnd(s, i, false)]
		if _, ok := readNumber(text, false); !ok {
			return token{}, fmt.Errorf("%q is not a number (decimal, or hex with 0x)", text)
		}
		return token{tNum, text, i}, nil
	case isWord(c):
		name := s[i:wordEnd(s, i, true)]
		if parts := strings.Split(name, "."); len(parts) > 2 || slices.Contains(parts, "") {
			return token{}, fmt.Errorf("%q is not a name (a capture like pid, or a fact like w.pid)", name)
		}
		return token{tName, name, i}, nil
	}
	for _, o := range ops {
		if strings.HasPrefix(s[i:], o) {
			return token{tOp, o, i}, nil
		}
	}
	if c == '=' {
		return token{}, errors.New("\"=\" is not an operator (compare with ==)")
	}
	return token{}, fmt.Errorf("unexpected %q", string(c))
}

// wordEnd is where the run of word characters (and dots, for names)
// starting at i ends.
func wordEnd(s string, i int, dots bool) int {
	for i < len(s) && (isWord(s[i]) || dots && s[i] == '.') {
		i++
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWord(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}
