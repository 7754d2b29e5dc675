package spec

import (
	"math/big"
	"strings"
)

// A value is a set of alternatives: one for a capture, a literal or a
// result; two for a fact that moved while the step ran ("before|after").
// A condition on values holds when some choice of alternatives satisfies
// it. Numbers are big integers: kernel addresses fill 64 unsigned bits,
// and their differences may be negative.
type value []scalar

type scalar struct {
	text string   // as printed or reported, trimmed
	num  *big.Int // nil when text is not a number in its base
	hex  bool     // read as hexadecimal (hex(x)), which lists and printed() follow
	raw  bool     // text came from outside; hex() reads it again in base 16
}

// readScalar reads outside text: a number in decimal, or in hex when hex
// is set or the text has 0x.
func readScalar(s string, hex bool) scalar {
	s = strings.TrimSpace(s)
	n, _ := readNumber(s, hex)
	return scalar{text: s, num: n, hex: hex, raw: true}
}

func numScalar(n *big.Int) scalar { return scalar{text: n.String(), num: n} }

// readNumber reads s as an integer: hexadecimal when hex is set or s has
// 0x, else decimal, with an optional sign.
func readNumber(s string, hex bool) (*big.Int, bool) {
	neg := false
	if t, ok := strings.CutPrefix(s, "-"); ok {
		s, neg = t, true
	}
	base := 10
	if t, ok := cutHexPrefix(s); ok || hex {
		s, base = t, 16
	}
	if s == "" || s[0] == '+' || s[0] == '-' || strings.Contains(s, "_") {
		return nil, false
	}
	n, ok := new(big.Int).SetString(s, base)
	if !ok {
		return nil, false
	}
	if neg {
		n.Neg(n)
	}
	return n, true
}

func cutHexPrefix(s string) (string, bool) {
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		return s[2:], true
	}
	return s, false
}

// elements splits a list value ("a,b,c") into its elements, read in the
// base of like: a list of kernel addresses follows hex(stack), a list of
// pids follows pid.
func (s scalar) elements(hex bool) []scalar {
	if !strings.Contains(s.text, ",") {
		if s.raw && s.hex != hex {
			return []scalar{readScalar(s.text, hex)}
		}
		return []scalar{s}
	}
	var out []scalar
	for _, e := range strings.Split(s.text, ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, readScalar(e, hex))
		}
	}
	return out
}

// equal compares as numbers when both are, else as text.
func equal(x, y scalar) bool {
	if x.num != nil && y.num != nil {
		return x.num.Cmp(y.num) == 0
	}
	return x.text == y.text
}

// holds applies a comparison to two alternatives. Ordering needs numbers.
func holds(op string, x, y scalar) bool {
	switch op {
	case "==":
		return equal(x, y)
	case "!=":
		return !equal(x, y)
	}
	if x.num == nil || y.num == nil {
		return false
	}
	c := x.num.Cmp(y.num)
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0 // ">="
}

// calc applies arithmetic; ok is false for a non-number or a division by
// zero. Division truncates toward zero, as in C.
func calc(op string, x, y scalar) (scalar, bool) {
	if x.num == nil || y.num == nil {
		return scalar{}, false
	}
	n := new(big.Int)
	switch op {
	case "+":
		n.Add(x.num, y.num)
	case "-":
		n.Sub(x.num, y.num)
	case "*":
		n.Mul(x.num, y.num)
	default:
		if y.num.Sign() == 0 {
			return scalar{}, false
		}
		if op == "/" {
			n.Quo(x.num, y.num)
		} else {
			n.Rem(x.num, y.num)
		}
	}
	s := numScalar(n)
	s.hex = x.hex || y.hex
	return s, true
}

// anyPair reports whether f holds for some alternative of each value.
func anyPair(xs, ys value, f func(x, y scalar) bool) bool {
	for _, x := range xs {
		for _, y := range ys {
			if f(x, y) {
				return true
			}
		}
	}
	return false
}

func bigZero() *big.Int { return new(big.Int) }
