package spec

import (
	"strings"
	"testing"
)

func TestParseExpr(t *testing.T) {
	for _, tc := range []struct {
		rule string
		want string // the rule written back, or the error
	}{
		{"pid == w.pid && comm == w.comm", "(pid == w.pid) && (comm == w.comm)"},
		{"a == 1 || b == 2 && c == 3", "(a == 1) || ((b == 2) && (c == 3))"},
		{"(a == 1 || b == 2) && c == 3", "((a == 1) || (b == 2)) && (c == 3)"},
		{"!a == 1", "!(a == 1)"},
		{"!!(a == 1)", "!!(a == 1)"},
		{"a + b * c - d / 2 % 3 == -x", "(a + (b * c)) - ((d / 2) % 3) == -x"},
		{"hex(stack) >= 0xffff800000000000", "hex(stack) >= 0xffff800000000000"},
		{"count(pid == s.pid) == 1", "count(pid == s.pid) == 1"},
		{`near(x, y, "5%")`, `near(x, y, "5%")`},
		{`printed(h.heap_bytes, 'bytes')`, `printed(h.heap_bytes, "bytes")`},
		{"lines() <= 4", "lines() <= 4"},
		// Errors, with a column where one helps.
		{"", "want a value, got end of rule"},
		{"pid", "the rule is a value, not a condition (compare it: pid == ...)"},
		{"pid + 1", "the rule is a value, not a condition"},
		{"pid = 1", `column 5: "=" is not an operator (compare with ==)`},
		{"pid == 1 pid == 2", `column 10: unexpected "pid" (join conditions with && or ||)`},
		{"pid == ", "column 8: want a value, got end of rule"},
		{"(pid == 1", `column 10: want ")", got end of rule`},
		{"pid == 1)", `column 9: unexpected ")"`},
		{"a < b < c", "column 7: comparisons do not chain (write a < b && b < c, or between(b, a, c))"},
		{"pid && 1", "column 5: && takes conditions, and pid is a value"},
		{"!pid", "column 1: ! takes conditions, and pid is a value"},
		{"(a == 1) + 2 == 3", "column 10: + takes values, and a comparison is a condition"},
		{"hex(a == 1) == 2", "hex(x): argument x (a comparison) is a condition; it takes a value"},
		{"every(pid)", "every(cond): pid is a value; it takes a condition"},
		{"lines(1) == 1", "lines() takes 0 arguments, got 1"},
		{"printed(x, \"bytes\", 3)", "printed(x, unit) takes 1 or 2 arguments, got 3"},
		{"printed(x,)", `want a value, got ")"`},
		{"printed(x y)", `column 11: want "," or ")" in printed(...), got "y"`},
		{"pid == 12ab", `column 8: "12ab" is not a number (decimal, or hex with 0x)`},
		{"a.b.c == 1", `column 1: "a.b.c" is not a name`},
		{"w. == 1", `column 1: "w." is not a name`},
		{`contains("x)`, "column 10: unterminated string"},
		{"pid == 1 ; 2", `column 10: unexpected ";"`},
		{"matches(x)", "matches(regex) takes a regular expression in quotes, got x"},
	} {
		n, err := parseExpr(tc.rule)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = format(n)
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("parseExpr(%q) = %q, want %q", tc.rule, got, tc.want)
		}
	}
}

func TestReadNumber(t *testing.T) {
	for _, tc := range []struct {
		s    string
		hex  bool
		want string // decimal, "" when not a number
	}{
		{"42", false, "42"},
		{"0x2a", false, "42"},
		{"0X2A", false, "42"},
		{"2a", true, "42"},
		{"0x2a", true, "42"},
		{"ffffffffffffffff", true, "18446744073709551615"},
		{"-7", false, "-7"},
		{"2a", false, ""},
		{"+7", false, ""},
		{"1_000", false, ""},
		{"0x", false, ""},
		{"", false, ""},
		{"12 ", false, ""},
	} {
		n, ok := readNumber(tc.s, tc.hex)
		got := ""
		if ok {
			got = n.String()
		}
		if got != tc.want {
			t.Errorf("readNumber(%q, %v) = %q, want %q", tc.s, tc.hex, got, tc.want)
		}
	}
}
