package spec

import (
	"fmt"
	"strconv"
	"strings"
)

// A truth rule is one or more conditions joined by "&&"; it holds when one
// row of captures satisfies all of them. A condition compares two operands
// with == != < <= > >=, or calls a predicate:
//
//	pid == w.pid && comm == w.comm
//	hex(stack) >= 0xffff800000000000
//	aligned(hex(stack), k.thread_size)
//	in(hex(stack), k.addrs)
//
// Operands are captures (pid), facts (w.pid), numbers (42, 0x2a) and
// hex(x), which reads x as hexadecimal. Values that read as numbers
// compare as numbers, others as text. A fact that moved while the step ran
// ("before|after") satisfies a condition when either value does. in(x, l)
// holds when x equals one element of the comma-separated hex list l.

// rule is a parsed truth rule.
type rule struct {
	text  string
	conds []cond
}

type cond struct {
	op   string // comparison, or a predicate name
	args []operand
}

type operand struct {
	name  string // capture or fact name; "" for a literal
	lit   string
	isHex bool // hex(x)
}

func parseRule(s string) (rule, error) {
	r := rule{text: s}
	for _, part := range strings.Split(s, "&&") {
		c, err := parseCond(strings.TrimSpace(part))
		if err != nil {
			return r, fmt.Errorf("truth %q: %w", s, err)
		}
		r.conds = append(r.conds, c)
	}
	return r, nil
}

func parseCond(s string) (cond, error) {
	for _, pred := range []string{"aligned", "in"} {
		if inner, ok := strings.CutPrefix(s, pred+"("); ok && strings.HasSuffix(inner, ")") {
			a, b, ok := strings.Cut(strings.TrimSuffix(inner, ")"), ",")
			if !ok {
				return cond{}, fmt.Errorf("%s takes two arguments", pred)
			}
			x, err1 := parseOperand(a)
			y, err2 := parseOperand(b)
			if err1 != nil || err2 != nil {
				return cond{}, fmt.Errorf("%s: bad argument", pred)
			}
			return cond{op: pred, args: []operand{x, y}}, nil
		}
	}
	for _, op := range []string{"==", "!=", "<=", ">=", "<", ">"} {
		if a, b, ok := strings.Cut(s, op); ok {
			x, err := parseOperand(a)
			if err != nil {
				return cond{}, err
			}
			y, err := parseOperand(b)
			if err != nil {
				return cond{}, err
			}
			return cond{op: op, args: []operand{x, y}}, nil
		}
	}
	return cond{}, fmt.Errorf("%q is not a comparison or aligned(x, n) or in(x, list)", s)
}

func parseOperand(s string) (operand, error) {
	s = strings.TrimSpace(s)
	if inner, ok := strings.CutPrefix(s, "hex("); ok && strings.HasSuffix(inner, ")") {
		o, err := parseOperand(strings.TrimSuffix(inner, ")"))
		o.isHex = true
		return o, err
	}
	if s == "" || strings.ContainsAny(s, " ()") {
		return operand{}, fmt.Errorf("bad operand %q", s)
	}
	if _, ok := number(s, false); ok {
		return operand{lit: s}, nil
	}
	return operand{name: s}, nil
}

// number reads s as a number: hexadecimal when hex or when it has 0x.
func number(s string, hex bool) (uint64, bool) {
	s = strings.TrimSpace(s)
	if t, ok := strings.CutPrefix(s, "0x"); ok || hex {
		n, err := strconv.ParseUint(t, 16, 64)
		return n, err == nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}
