package spec

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lkmlab/lkmlab/lab/plan"
)

// evidenceMax bounds how many values or lines a failure lists.
const evidenceMax = 5

// evidence names what a failed rule read, so a failure shows what the
// module printed and what was true: each capture's printed values, each
// fact, each count, and the lines when the rule searched them.
func evidence(n node, ev Eval) string {
	var names, computed []string
	seen := map[string]bool{}
	searched := false
	walk(n, func(n node) {
		switch n := n.(type) {
		case ref:
			if !seen[n.name] {
				seen[n.name] = true
				names = append(names, refEvidence(n, ev))
			}
		case *call:
			switch n.f.name {
			case "count", "lines":
				v := (&env{ev: ev, lines: ev.Lines}).val(n)
				computed = append(computed, fmt.Sprintf("%s is %s", format(n), v[0].text))
			case "printed", "contains", "matches":
				searched = true
			}
			if n.f.conds && !n.overRows {
				searched = true
			}
		}
	})
	markHexHints(n, names)
	sort.Strings(names)
	parts := append(names, computed...)
	if searched {
		parts = append(parts, linesEvidence(ev.Lines))
	}
	return strings.Join(parts, "; ")
}

func refEvidence(r ref, ev Eval) string {
	if r.isFact() {
		v, ok := ev.Facts[r.name]
		switch {
		case !ok:
			return r.name + " is unknown (the workload did not report it)"
		case plan.FixedFacts[r.name[strings.LastIndex(r.name, ".")+1:]]:
			return r.name + " is not shown (it is the same in every run of this guest: shown, it would be the answer)"
		case strings.Contains(v, "|"):
			before, after, _ := strings.Cut(v, "|")
			return fmt.Sprintf("%s moved from %s to %s during the step", r.name, before, after)
		}
		if l := strings.Split(v, ","); len(l) > evidenceMax {
			v = fmt.Sprintf("%s, ... (%d values)", strings.Join(l[:evidenceMax], ", "), len(l))
		}
		return fmt.Sprintf("%s is %s", r.name, v)
	}
	var got []string
	for _, row := range ev.Rows {
		if v, ok := row[r.name]; ok && v != "" {
			got = append(got, v) // "": an optional group on another row's line
		}
	}
	switch {
	case len(got) == 0:
		return r.name + " was not printed"
	case len(got) > evidenceMax:
		return fmt.Sprintf("%s printed %s ... (%d values)", r.name, strings.Join(got[:evidenceMax], ", "), len(got))
	}
	return fmt.Sprintf("%s printed %s", r.name, strings.Join(got, ", "))
}

// markHexHints adds a hint to a capture that printed hex digits but that
// the rule reads in decimal (no hex()), the usual slip with addresses.
func markHexHints(n node, names []string) {
	inHex := map[string]bool{}
	walk(n, func(n node) {
		if c, ok := n.(*call); ok && c.f.name == "hex" {
			walk(c.args[0], func(m node) {
				if r, ok := m.(ref); ok {
					inHex[r.name] = true
				}
			})
		}
	})
	for i, s := range names {
		name, vals, ok := strings.Cut(s, " printed ")
		if !ok || inHex[name] || strings.Contains(name, ".") {
			continue
		}
		first, _, _ := strings.Cut(vals, ",")
		if _, dec := readNumber(first, false); !dec {
			if _, hex := readNumber(first, true); hex {
				names[i] = s + fmt.Sprintf(" (not decimal: hex(%s) reads it as hex)", name)
			}
		}
	}
}

func linesEvidence(lines []string) string {
	if len(lines) == 0 {
		return "the module printed nothing"
	}
	var q []string
	for _, l := range lines[:min(len(lines), evidenceMax)] {
		q = append(q, fmt.Sprintf("%q", l))
	}
	s := fmt.Sprintf("the module printed %d line(s): %s", len(lines), strings.Join(q, ", "))
	if len(lines) > evidenceMax {
		s += ", ..."
	}
	return s
}

// format writes a node back as rule text, for messages.
func format(n node) string {
	switch n := n.(type) {
	case numLit:
		return n.text
	case strLit:
		return fmt.Sprintf("%q", n.s)
	case ref:
		return n.name
	case notNode:
		return "!" + wrap(n.x)
	case negNode:
		return "-" + wrap(n.x)
	case logic:
		return wrap(n.x) + " " + n.op + " " + wrap(n.y)
	case compare:
		return format(n.x) + " " + n.op + " " + format(n.y)
	case arith:
		return wrap(n.x) + " " + n.op + " " + wrap(n.y)
	case *call:
		var args []string
		for _, a := range n.args {
			args = append(args, format(a))
		}
		return n.f.name + "(" + strings.Join(args, ", ") + ")"
	}
	return "?"
}

func wrap(n node) string {
	switch n.(type) {
	case logic, compare, arith:
		return "(" + format(n) + ")"
	}
	return format(n)
}
