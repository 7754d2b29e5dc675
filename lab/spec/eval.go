package spec

import (
	"fmt"
	"strings"
)

// Eval is what a step's rules are judged on.
type Eval struct {
	// Rows hold the captured values, one row per line a repeated output
	// entry matched (see Result.Rows); nil when the output's format did
	// not match.
	Rows []map[string]string
	// Facts are the workloads' facts, "w.pid" -> "77"; a fact that moved
	// during the step reads "before|after", a list "a,b,c".
	Facts map[string]string
	// Lines are what the module printed during the step, noise dropped
	// (ModuleOutput).
	Lines []string
}

// CheckTruth evaluates the step's truth rules and returns one message per
// rule that does not hold, with what was printed and what was true. A rule
// holds when one row of captures satisfies it.
func (st Step) CheckTruth(ev Eval) []string {
	return checkRules("truth", st.Truth, ev)
}

// CheckFormat evaluates the step's format rules on the captures of lines
// that matched the output, and returns, for each rule that does not hold,
// what it says to the student and what was printed and true.
func (st Step) CheckFormat(ev Eval) []string {
	var out []string
	for _, f := range st.Format {
		n, err := parseExpr(f.Rule)
		switch {
		case err != nil: // a spec from Parse never gets here
			out = append(out, fmt.Sprintf("format %q: %v", f.Rule, err))
		case !ruleHolds(n, ev):
			out = append(out, fmt.Sprintf("%s (%s)", f.Say, evidence(n, ev)))
		}
	}
	return out
}

// CheckLoose evaluates the step's loose rules, which stand in for Truth
// when the output's format does not match: they read the values off the
// step's lines, not captures.
func (st Step) CheckLoose(ev Eval) []string {
	ev.Rows = nil
	return checkRules("loose", st.Loose, ev)
}

// Explain returns the Say of every hint whose When rule holds.
func (st Step) Explain(ev Eval) []string {
	var out []string
	for _, h := range st.Hints {
		if len(checkRules("hint", []string{h.When}, ev)) == 0 {
			out = append(out, h.Say)
		}
	}
	return out
}

// HasLoose reports whether the step can earn truth when its format is off.
func (st Step) HasLoose() bool { return len(st.Loose) > 0 }

func checkRules(kind string, rules []string, ev Eval) []string {
	var fails []string
	for _, text := range rules {
		n, err := parseExpr(text)
		if err != nil {
			// A spec from Parse never gets here; a Step built in code can.
			fails = append(fails, fmt.Sprintf("%s %q: %v", kind, text, err))
			continue
		}
		if !ruleHolds(n, ev) {
			fails = append(fails, fmt.Sprintf("%s: %s does not hold: %s", kind, text, evidence(n, ev)))
		}
	}
	return fails
}

func ruleHolds(n node, ev Eval) bool {
	rows := ev.Rows
	if len(rows) == 0 {
		rows = []map[string]string{{}}
	}
	for _, row := range rows {
		e := &env{ev: ev, row: row, lines: ev.Lines}
		if e.cond(n) {
			return true
		}
	}
	return false
}

// env is where one evaluation stands: a row of captures, and the lines
// that printed(), contains() and matches() search (one line inside a
// quantifier over lines).
type env struct {
	ev    Eval
	row   map[string]string
	lines []string
}

func (e *env) cond(n node) bool {
	switch n := n.(type) {
	case notNode:
		return !e.cond(n.x)
	case logic:
		if n.op == "&&" {
			return e.cond(n.x) && e.cond(n.y)
		}
		return e.cond(n.x) || e.cond(n.y)
	case compare:
		return anyPair(e.val(n.x), e.val(n.y), func(x, y scalar) bool { return holds(n.op, x, y) })
	case *call:
		return n.f.cond(e, n)
	}
	panic(fmt.Sprintf("spec: %T is not a condition", n)) // the parser rules this out
}

func (e *env) val(n node) value {
	switch n := n.(type) {
	case numLit:
		return value{readScalar(n.text, false)}
	case strLit:
		return value{{text: n.s, raw: true}}
	case ref:
		return e.lookup(n)
	case negNode:
		var out value
		for _, x := range e.val(n.x) {
			if s, ok := calc("-", numScalar(bigZero()), x); ok {
				out = append(out, s)
			}
		}
		return out
	case arith:
		var out value
		anyPair(e.val(n.x), e.val(n.y), func(x, y scalar) bool {
			if s, ok := calc(n.op, x, y); ok {
				out = append(out, s)
			}
			return false
		})
		return out
	case *call:
		return n.f.val(e, n)
	}
	panic(fmt.Sprintf("spec: %T is not a value", n))
}

// lookup reads a capture from the row or a fact; nothing when absent.
func (e *env) lookup(r ref) value {
	if !r.isFact() {
		if v, ok := e.row[r.name]; ok {
			return value{readScalar(v, false)}
		}
		return nil
	}
	v, ok := e.ev.Facts[r.name]
	if !ok {
		return nil
	}
	var out value
	for _, alt := range strings.Split(v, "|") {
		out = append(out, readScalar(alt, false))
	}
	return out
}
