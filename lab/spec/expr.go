package spec

import (
	"fmt"
	"regexp"
	"strings"
)

// A parsed rule is a tree of nodes. Each node is either a condition (true
// or false) or a value (a set of alternatives, see value.go); the parser
// checks which goes where, so "pid && 1" is refused when the spec loads.
//
//	rule    = or
//	or      = and { "||" and }
//	and     = unary { "&&" unary }
//	unary   = "!" unary | compare
//	compare = sum [ ("==" | "!=" | "<" | "<=" | ">" | ">=") sum ]
//	sum     = term { ("+" | "-") term }
//	term    = factor { ("*" | "/" | "%") factor }
//	factor  = "-" factor | number | string | name | call | "(" or ")"
//	call    = function "(" [ or { "," or } ] ")"
type node interface{ isCond() bool }

type (
	numLit  struct{ text string }
	strLit  struct{ s string }
	ref     struct{ name string } // a capture (pid) or a fact (w.pid)
	notNode struct{ x node }
	negNode struct{ x node }
	logic   struct {
		op   string // && or ||
		x, y node
	}
	compare struct {
		op   string
		x, y node
	}
	arith struct {
		op   string
		x, y node
	}
	call struct {
		f    *function
		args []node
		re   *regexp.Regexp // matches(): compiled when the rule is parsed
		// overRows: every/none/count range over the captured rows when
		// their condition names a capture, else over the step's lines.
		overRows bool
	}
)

func (numLit) isCond() bool  { return false }
func (strLit) isCond() bool  { return false }
func (ref) isCond() bool     { return false }
func (notNode) isCond() bool { return true }
func (negNode) isCond() bool { return false }
func (logic) isCond() bool   { return true }
func (compare) isCond() bool { return true }
func (arith) isCond() bool   { return false }
func (c *call) isCond() bool { return c.f.cond != nil }

func (r ref) isFact() bool { return strings.Contains(r.name, ".") }

type parser struct {
	toks []token
	i    int
}

// parseExpr parses one rule; it must be a condition.
func parseExpr(s string) (node, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, fmt.Errorf("column %d: unexpected %s (join conditions with && or ||)", t.pos+1, t)
	}
	if !n.isCond() {
		return nil, fmt.Errorf("the rule is a value, not a condition (compare it: %s == ...)", strings.TrimSpace(s))
	}
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) accept(op string) bool {
	if t := p.peek(); t.kind == tOp && t.text == op {
		p.i++
		return true
	}
	return false
}

func (p *parser) or() (node, error)  { return p.logic("||", p.and) }
func (p *parser) and() (node, error) { return p.logic("&&", p.unary) }

func (p *parser) logic(op string, sub func() (node, error)) (node, error) {
	x, err := sub()
	for err == nil {
		t := p.peek()
		if !p.accept(op) {
			return x, nil
		}
		var y node
		if y, err = sub(); err == nil {
			if err = wantCond(t, op, x, y); err == nil {
				x = logic{op, x, y}
			}
		}
	}
	return nil, err
}

func (p *parser) unary() (node, error) {
	t := p.peek()
	if !p.accept("!") {
		return p.compare()
	}
	x, err := p.unary()
	if err != nil {
		return nil, err
	}
	if err := wantCond(t, "!", x); err != nil {
		return nil, err
	}
	return notNode{x}, nil
}

var comparisons = []string{"==", "!=", "<=", ">=", "<", ">"}

func (p *parser) compare() (node, error) {
	x, err := p.sum()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	op := ""
	for _, c := range comparisons {
		if p.accept(c) {
			op = c
			break
		}
	}
	if op == "" {
		return x, nil
	}
	y, err := p.sum()
	if err != nil {
		return nil, err
	}
	if err := wantValue(t, op, x, y); err != nil {
		return nil, err
	}
	if u := p.peek(); u.kind == tOp && isComparison(u.text) {
		return nil, fmt.Errorf("column %d: comparisons do not chain (write a < b && b < c, or between(b, a, c))", u.pos+1)
	}
	return compare{op, x, y}, nil
}

func isComparison(op string) bool {
	for _, c := range comparisons {
		if c == op {
			return true
		}
	}
	return false
}

func (p *parser) sum() (node, error)  { return p.arith([]string{"+", "-"}, p.term) }
func (p *parser) term() (node, error) { return p.arith([]string{"*", "/", "%"}, p.factor) }

func (p *parser) arith(opers []string, sub func() (node, error)) (node, error) {
	x, err := sub()
	for err == nil {
		t, op := p.peek(), ""
		for _, o := range opers {
			if p.accept(o) {
				op = o
				break
			}
		}
		if op == "" {
			return x, nil
		}
		var y node
		if y, err = sub(); err == nil {
			if err = wantValue(t, op, x, y); err == nil {
				x = arith{op, x, y}
			}
		}
	}
	return nil, err
}

func (p *parser) factor() (node, error) {
	t := p.next()
	switch {
	case t.kind == tOp && t.text == "-":
		x, err := p.factor()
		if err != nil {
			return nil, err
		}
		return negNode{x}, wantValue(t, "-", x)
	case t.kind == tOp && t.text == "(":
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		if u := p.next(); u.kind != tOp || u.text != ")" {
			return nil, fmt.Errorf("column %d: want \")\", got %s", u.pos+1, u)
		}
		return x, nil
	case t.kind == tNum:
		return numLit{t.text}, nil
	case t.kind == tStr:
		return strLit{t.text}, nil
	case t.kind == tName:
		if p.accept("(") {
			return p.call(t)
		}
		return ref{t.text}, nil
	}
	return nil, fmt.Errorf("column %d: want a value, got %s", t.pos+1, t)
}

func (p *parser) call(name token) (node, error) {
	f, ok := functions[name.text]
	if !ok {
		return nil, fmt.Errorf("column %d: no function %q (functions: %s)", name.pos+1, name.text, functionNames())
	}
	c := &call{f: f}
	for !p.accept(")") {
		if len(c.args) > 0 && !p.accept(",") {
			t := p.peek()
			return nil, fmt.Errorf("column %d: want \",\" or \")\" in %s(...), got %s", t.pos+1, f.name, t)
		}
		a, err := p.or()
		if err != nil {
			return nil, err
		}
		c.args = append(c.args, a)
	}
	if err := f.checkCall(c); err != nil {
		return nil, fmt.Errorf("column %d: %w", name.pos+1, err)
	}
	return c, nil
}

func wantCond(t token, op string, xs ...node) error {
	for _, x := range xs {
		if !x.isCond() {
			return fmt.Errorf("column %d: %s takes conditions, and %s is a value (compare it: == != < ...)", t.pos+1, op, describe(x))
		}
	}
	return nil
}

func wantValue(t token, op string, xs ...node) error {
	for _, x := range xs {
		if x.isCond() {
			return fmt.Errorf("column %d: %s takes values, and %s is a condition (join conditions with && or ||)", t.pos+1, op, describe(x))
		}
	}
	return nil
}

// describe names a node in an error message.
func describe(n node) string {
	switch n := n.(type) {
	case numLit, strLit, ref:
		return format(n)
	case *call:
		return n.f.name + "(...)"
	case compare:
		return "a comparison"
	}
	return "an expression"
}
