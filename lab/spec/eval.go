package spec

import (
	"fmt"
	"sort"
	"strings"
)

// CheckTruth evaluates the step's truth rules against the captured rows
// and the step's facts, and returns one message per rule that does not
// hold.
func (st Step) CheckTruth(rows []map[string]string, facts map[string]string) []string {
	var fails []string
	for _, t := range st.Truth {
		r, err := parseRule(t)
		if err != nil {
			fails = append(fails, err.Error())
			continue
		}
		if msg := r.check(rows, facts); msg != "" {
			fails = append(fails, msg)
		}
	}
	return fails
}

func (r rule) check(rows []map[string]string, facts map[string]string) string {
	for _, row := range rows {
		ok := true
		for _, c := range r.conds {
			if !c.holds(row, facts) {
				ok = false
				break
			}
		}
		if ok {
			return ""
		}
	}
	return fmt.Sprintf("truth: %s does not hold: %s", r.text, r.evidence(rows, facts))
}

// evidence names the values the rule read, so a failure shows what the
// module said and what was true.
func (r rule) evidence(rows []map[string]string, facts map[string]string) string {
	var parts []string
	seen := map[string]bool{}
	for _, c := range r.conds {
		for _, a := range c.args {
			if a.name == "" || seen[a.name] {
				continue
			}
			seen[a.name] = true
			if v, ok := facts[a.name]; ok {
				if l := strings.Split(v, ","); len(l) > 5 {
					v = fmt.Sprintf("%s, ... (%d values)", strings.Join(l[:5], ", "), len(l))
				}
				parts = append(parts, fmt.Sprintf("%s is %s", a.name, v))
				continue
			}
			var got []string
			for _, row := range rows {
				if v, ok := row[a.name]; ok {
					got = append(got, v)
				}
			}
			switch {
			case len(got) == 0:
				parts = append(parts, a.name+" was not printed")
			case len(got) > 5:
				parts = append(parts, fmt.Sprintf("%s printed %s ... (%d values)", a.name, strings.Join(got[:5], ", "), len(got)))
			default:
				parts = append(parts, fmt.Sprintf("%s printed %s", a.name, strings.Join(got, ", ")))
			}
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}

// values gives an operand's possible values: a fact that moved during the
// step has two.
func (o operand) values(row, facts map[string]string) ([]string, bool) {
	if o.name == "" {
		return []string{o.lit}, true
	}
	if v, ok := row[o.name]; ok {
		return []string{v}, true
	}
	if v, ok := facts[o.name]; ok {
		return strings.Split(v, "|"), true
	}
	return nil, false
}

func (c cond) holds(row, facts map[string]string) bool {
	xs, ok1 := c.args[0].values(row, facts)
	ys, ok2 := c.args[1].values(row, facts)
	if !ok1 || !ok2 {
		return false
	}
	for _, x := range xs {
		for _, y := range ys {
			if c.holdsFor(x, y) {
				return true
			}
		}
	}
	return false
}

func (c cond) holdsFor(x, y string) bool {
	xn, xNum := number(x, c.args[0].isHex)
	yn, yNum := number(y, c.args[1].isHex)
	switch c.op {
	case "aligned":
		return xNum && yNum && yn != 0 && xn%yn == 0
	case "in":
		for _, e := range strings.Split(y, ",") {
			if en, ok := number(e, true); ok && xNum && en == xn {
				return true
			}
		}
		return false
	}
	if xNum && yNum {
		return compare(c.op, cmpUint(xn, yn))
	}
	return compare(c.op, strings.Compare(x, y))
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func compare(op string, c int) bool {
	switch op {
	case "==":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0 // ">="
}
