package spec

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/lkmlab/lkmlab/lab/plan"
	"go.yaml.in/yaml/v3"
)

// Names are checked when a spec loads: a misspelt fact or capture would
// otherwise load fine and then fail every student with "was not printed".

// rules parses each truth or loose rule and checks the names it uses.
func (b *builder) rules(kind string, seq yaml.Node, captures []string) []string {
	if seq.Kind != 0 && seq.Kind != yaml.SequenceNode {
		b.fail(seq.Line, "%s: want a list of rules, one per line: - pid == w.pid", kind)
		return nil
	}
	var out []string
	for _, n := range seq.Content {
		text, ok := b.text(*n, kind)
		if !ok {
			continue
		}
		out = append(out, text)
		e, err := parseExpr(text)
		if err != nil {
			if seq.Style&yaml.FlowStyle != 0 {
				err = fmt.Errorf("%w (YAML splits [a, b] at every comma: write one rule per line, - rule)", err)
			}
			b.fail(n.Line, "%s %q: %v", kind, text, err)
			continue
		}
		seen := map[string]bool{}
		walk(e, func(x node) {
			r, ok := x.(ref)
			if !ok || seen[r.name] {
				return
			}
			seen[r.name] = true
			if msg := b.checkRef(r, kind, captures); msg != "" {
				b.fail(n.Line, "%s %q: %s", kind, text, msg)
			}
		})
	}
	return out
}

func (b *builder) checkRef(r ref, kind string, captures []string) string {
	switch {
	case r.isFact():
		return b.checkFact(r.name)
	case kind == "loose":
		return fmt.Sprintf("%s is a capture, and loose rules run when the output's format does not match, so nothing is captured (find the value on the lines: printed(w.fact), contains(\"text\"))", r.name)
	case slices.Contains(captures, r.name):
		return ""
	case len(captures) == 0:
		return fmt.Sprintf("%q is not captured: this step's output captures nothing (name a group in an re: line, (?P<%s>\\d+), or use a fact: w.%s)", r.name, r.name, r.name)
	}
	return fmt.Sprintf("%q is not captured by this step's output (captures: %s)", r.name, strings.Join(slices.Sorted(slices.Values(captures)), ", "))
}

// checkFact checks "w.fact": a workload started by this step or an
// earlier one, and a fact its kind reports.
func (b *builder) checkFact(name string) string {
	w, fact, _ := strings.Cut(name, ".")
	kind, ok := b.workloads[w]
	if !ok {
		if len(b.workloads) == 0 {
			return fmt.Sprintf("no workload %q is started by this step or an earlier one (none is: add start: [{name: %s, kind: ...}], kinds: %s)", w, w, strings.Join(plan.Kinds, ", "))
		}
		return fmt.Sprintf("no workload %q is started by this step or an earlier one (workloads: %s)", w, strings.Join(slices.Sorted(maps.Keys(b.workloads)), ", "))
	}
	facts := plan.Facts[kind]
	if !slices.Contains(facts, fact) {
		return fmt.Sprintf("%s has no fact %q (facts of %s: %s)", w, fact, kind, strings.Join(slices.Sorted(slices.Values(facts)), ", "))
	}
	return ""
}

// params reads params as a string or as a mapping by role, and checks the
// parameter names and the facts their values name.
func (b *builder) params(st *Step, n yaml.Node) {
	switch n.Kind {
	case 0:
		return
	case yaml.ScalarNode:
		text, ok := b.text(n, "params")
		if !ok {
			return
		}
		st.Params = text
		for _, p := range splitParams(text) {
			b.param(p, n.Line)
		}
	case yaml.MappingNode:
		st.params = []Param{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			value, ok := b.text(*v, "params: "+k.Value)
			if !ok {
				continue
			}
			if slices.ContainsFunc(st.params, func(p Param) bool { return p.Name == k.Value }) {
				b.fail(k.Line, "params: %s is given twice", k.Value)
			}
			p := Param{Name: k.Value, Value: value}
			b.param(p, k.Line)
			st.params = append(st.params, p)
		}
		st.Params = FormatParams(st.params)
	default:
		b.fail(n.Line, "params: want a string, \"pid={w.pid} addr=0x{w.addr}\", or a mapping by role, {pid: \"{w.pid}\", addr: \"0x{w.addr}\"}")
	}
}

func (b *builder) param(p Param, line int) {
	if !paramName.MatchString(p.Name) {
		b.fail(line, "params: %q is not a parameter name (letters, digits and _)", p.Name)
	}
	for _, m := range braces.FindAllStringSubmatch(p.Value, -1) {
		switch {
		case !factName.MatchString(m[1]):
			b.fail(line, "params: %s: {%s} is not a fact; write {w.fact}, such as {w.pid}", p.Name, m[1])
		default:
			if msg := b.checkFact(m[1]); msg != "" {
				b.fail(line, "params: %s: %s", p.Name, msg)
			}
		}
	}
}
