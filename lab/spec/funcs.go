package spec

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// function is one function rules can call. Exactly one of cond and val is
// set: a function is a condition or gives a value.
type function struct {
	name   string
	params []string // argument names, for messages; the last optional ones after min
	min    int
	conds  bool // its arguments are conditions (every, none, count)
	cond   func(*env, *call) bool
	val    func(*env, *call) value
	check  func(*call) error // literal arguments it needs, checked at parse time
}

var functions = map[string]*function{}

func init() {
	for _, f := range []*function{
		{name: "hex", params: []string{"x"}, min: 1, val: evalHex},
		{name: "aligned", params: []string{"x", "n"}, min: 2, cond: evalAligned},
		{name: "in", params: []string{"x", "list"}, min: 2, cond: evalIn},
		{name: "between", params: []string{"x", "lo", "hi"}, min: 3, cond: evalBetween},
		{name: "near", params: []string{"x", "y", "tol"}, min: 3, cond: evalNear, check: checkNear},
		{name: "every", params: []string{"cond"}, min: 1, conds: true, cond: evalEvery},
		{name: "none", params: []string{"cond"}, min: 1, conds: true, cond: evalNone},
		{name: "count", params: []string{"cond"}, min: 1, conds: true, val: evalCount},
		{name: "printed", params: []string{"x", "unit"}, min: 1, cond: evalPrinted, check: checkPrinted},
		{name: "alone", params: []string{"x", "unit"}, min: 1, cond: evalAlone, check: checkPrinted},
		{name: "contains", params: []string{"text"}, min: 1, cond: evalContains},
		{name: "matches", params: []string{"regex"}, min: 1, cond: evalMatches, check: checkMatches},
		{name: "lines", min: 0, val: evalLines},
	} {
		functions[f.name] = f
	}
}

func functionNames() string {
	var names []string
	for n := range functions {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// checkCall checks the number and the kind of the arguments.
func (f *function) checkCall(c *call) error {
	if n := len(c.args); n < f.min || n > len(f.params) {
		want := fmt.Sprint(len(f.params))
		if f.min < len(f.params) {
			want = fmt.Sprintf("%d or %d", f.min, len(f.params))
		}
		return fmt.Errorf("%s(%s) takes %s arguments, got %d", f.name, strings.Join(f.params, ", "), want, n)
	}
	for i, a := range c.args {
		switch {
		case f.conds && !a.isCond():
			return fmt.Errorf("%s(%s): %s is a value; it takes a condition, such as pid == w.pid", f.name, strings.Join(f.params, ", "), describe(a))
		case !f.conds && a.isCond():
			return fmt.Errorf("%s(%s): argument %s (%s) is a condition; it takes a value", f.name, strings.Join(f.params, ", "), f.params[i], describe(a))
		}
	}
	if f.conds {
		c.overRows = mentionsCapture(c.args[0])
	}
	if f.check != nil {
		return f.check(c)
	}
	return nil
}

// walk calls f on n and every node below it.
func walk(n node, f func(node)) {
	f(n)
	switch n := n.(type) {
	case notNode:
		walk(n.x, f)
	case negNode:
		walk(n.x, f)
	case logic:
		walk(n.x, f)
		walk(n.y, f)
	case compare:
		walk(n.x, f)
		walk(n.y, f)
	case arith:
		walk(n.x, f)
		walk(n.y, f)
	case *call:
		for _, a := range n.args {
			walk(a, f)
		}
	}
}

func mentionsCapture(n node) bool {
	found := false
	walk(n, func(n node) {
		if r, ok := n.(ref); ok && !r.isFact() {
			found = true
		}
	})
	return found
}

func evalHex(e *env, c *call) value {
	var out value
	for _, x := range e.val(c.args[0]) {
		if x.raw {
			x = readScalar(x.text, true)
		}
		x.hex = true
		out = append(out, x)
	}
	return out
}

func evalAligned(e *env, c *call) bool {
	return anyPair(e.val(c.args[0]), e.val(c.args[1]), func(x, n scalar) bool {
		r, ok := calc("%", x, n)
		return ok && r.num.Sign() == 0
	})
}

func evalIn(e *env, c *call) bool {
	return anyPair(e.val(c.args[0]), e.val(c.args[1]), func(x, list scalar) bool {
		return slices.ContainsFunc(list.elements(x.hex || list.hex), func(el scalar) bool { return equal(x, el) })
	})
}

func evalBetween(e *env, c *call) bool {
	his := e.val(c.args[2])
	return anyPair(e.val(c.args[0]), e.val(c.args[1]), func(x, lo scalar) bool {
		return holds("<=", lo, x) && slices.ContainsFunc(his, func(hi scalar) bool { return holds("<", x, hi) })
	})
}

func evalNear(e *env, c *call) bool {
	tols := e.val(c.args[2])
	return anyPair(e.val(c.args[0]), e.val(c.args[1]), func(x, y scalar) bool {
		if x.num == nil || y.num == nil {
			return false
		}
		d := new(big.Rat).SetInt(new(big.Int).Sub(x.num, y.num))
		d.Abs(d)
		return slices.ContainsFunc(tols, func(t scalar) bool {
			tol, ok := tolerance(t, y.num)
			return ok && d.Cmp(tol) <= 0
		})
	})
}

// tolerance reads near()'s third argument: an absolute number, or "5%"
// of y.
func tolerance(t scalar, y *big.Int) (*big.Rat, bool) {
	if p, ok := strings.CutSuffix(t.text, "%"); ok {
		r, ok := new(big.Rat).SetString(strings.TrimSpace(p))
		if !ok || r.Sign() < 0 {
			return nil, false
		}
		abs := new(big.Rat).SetInt(new(big.Int).Abs(y))
		return r.Mul(r, abs).Quo(r, big.NewRat(100, 1)), true
	}
	if t.num == nil || t.num.Sign() < 0 {
		return nil, false
	}
	return new(big.Rat).SetInt(t.num), true
}

func checkNear(c *call) error {
	if s, ok := c.args[2].(strLit); ok {
		if _, ok := tolerance(scalar{text: s.s}, big.NewInt(1)); !ok || !strings.HasSuffix(s.s, "%") {
			return fmt.Errorf("near(x, y, tol): tol %q is not a percentage such as \"5%%\" (or give a number: 8)", s.s)
		}
	}
	return nil
}

// quantify counts the rows (or lines) where the condition holds.
func quantify(e *env, c *call) (holding, total int) {
	if c.overRows {
		for _, row := range e.ev.Rows {
			sub := &env{ev: e.ev, row: row, lines: e.lines}
			if sub.cond(c.args[0]) {
				holding++
			}
		}
		return holding, len(e.ev.Rows)
	}
	for _, l := range e.ev.Lines {
		sub := &env{ev: e.ev, row: e.row, lines: []string{l}}
		if sub.cond(c.args[0]) {
			holding++
		}
	}
	return holding, len(e.ev.Lines)
}

func evalEvery(e *env, c *call) bool { n, total := quantify(e, c); return n == total }
func evalNone(e *env, c *call) bool  { n, _ := quantify(e, c); return n == 0 }

func evalCount(e *env, c *call) value {
	n, _ := quantify(e, c)
	return value{numScalar(big.NewInt(int64(n)))}
}

func evalLines(e *env, _ *call) value {
	return value{numScalar(big.NewInt(int64(len(e.ev.Lines))))}
}

func evalContains(e *env, c *call) bool {
	for _, x := range e.val(c.args[0]) {
		want := squeeze(x.text)
		for _, l := range e.lines {
			if want != "" && strings.Contains(squeeze(l), want) {
				return true
			}
		}
	}
	return false
}

func checkMatches(c *call) error {
	s, ok := c.args[0].(strLit)
	if !ok {
		return fmt.Errorf("matches(regex) takes a regular expression in quotes, got %s", describe(c.args[0]))
	}
	re, err := compileTolerant(s.s, false)
	if err != nil {
		return fmt.Errorf("matches(%q): %w", s.s, err)
	}
	c.re = re
	return nil
}

func evalMatches(e *env, c *call) bool {
	for _, l := range e.lines {
		if c.re.MatchString(trimSpace(l)) {
			return true
		}
	}
	return false
}
