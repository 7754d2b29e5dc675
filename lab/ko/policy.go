package ko

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// Policy restricts what a module may use; the zero value applies
// DefaultDeny, flags DefaultReview and allows no privileged instructions.
type Policy struct {
	// Deny lists symbols (path.Match patterns) the module must not import;
	// nil means DefaultDeny. The entry "default" stands for DefaultDeny
	// (a C keyword, so no symbol has that name): [default, vmalloc] adds
	// to it.
	Deny []string `yaml:"deny,omitempty" json:"deny,omitempty"`
	// Allow, when set, lists the only symbols (patterns) the module may
	// import, besides the Implicit ones every module imports. An exact
	// name here (no wildcard) also lifts a Deny pattern for that one
	// symbol: a task that needs filp_open allows it by name.
	Allow []string `yaml:"allow,omitempty" json:"allow,omitempty"`
	// Review lists symbols (patterns) a module may import but that a
	// person should look at (dual-use: an honest module may need them, an
	// attacker could use them): the module is graded as it ran, and each
	// such import is reported for review. nil means DefaultReview;
	// "default" stands for it. Deny wins over Review.
	Review []string `yaml:"review,omitempty" json:"review,omitempty"`
	// Privileged allows privileged instructions (port I/O, control
	// register and MSR writes, hlt).
	Privileged bool `yaml:"privileged,omitempty" json:"privileged,omitempty"`
}

// Validate reports a pattern path.Match cannot use, so that an assignment
// with a typo fails when it is loaded, not by matching nothing.
func (p Policy) Validate() error {
	for _, list := range [][]string{p.Deny, p.Allow, p.Review} {
		for _, pat := range list {
			if _, err := path.Match(pat, ""); err != nil {
				return fmt.Errorf("policy pattern %q: %w (patterns are path.Match globs: *, ?, [a-z])", pat, err)
			}
		}
	}
	return nil
}

// Kind is what a violation is about.
type Kind string

// The kinds of violation.
const (
	KindImport     Kind = "import"     // a symbol the policy denies, or does not allow
	KindPrivileged Kind = "privileged" // a privileged instruction
)

// Violation is one way a module breaks a policy, with its evidence.
type Violation struct {
	Kind Kind `json:"kind"`
	// What is the symbol or the instruction ("filp_open", "out dx, al").
	What string `json:"what"`
	// Where is "imports" for a symbol, "function+0xOFF" for an instruction.
	Where string `json:"where"`
	// Why says in one line, for a person, what it is used for.
	Why string `json:"why"`
}

func (v Violation) String() string {
	return fmt.Sprintf("%s %s at %s: %s", v.Kind, v.What, v.Where, v.Why)
}

// Check returns the ways the module breaks p: its denied or not allowed
// imports (sorted), then its privileged instructions (in code order).
//
// Imports are what the module links against. A module that finds a
// kernel function's address at run time (from a pointer it reads, or an
// offset from one it imports) calls it without importing it: as with
// Privileged, no violation is evidence, not proof.
func (m *Module) Check(p Policy) []Violation {
	var out []Violation
	deny := p.denyPatterns()
	for _, sym := range m.Imports {
		if why := p.importProblem(sym, deny); why != "" {
			out = append(out, Violation{Kind: KindImport, What: sym, Where: "imports", Why: why})
		}
	}
	if !p.Privileged {
		for _, in := range m.Privileged() {
			out = append(out, Violation{Kind: KindPrivileged, What: in.Text, Where: in.Where(), Why: in.Why})
		}
	}
	return out
}

func (p Policy) denyPatterns() []string { return withDefault(p.Deny, DefaultDeny) }

// withDefault is a policy list as given, def when it is unset, and with
// each "default" in it replaced by def.
func withDefault(list, def []string) []string {
	if list == nil {
		return def
	}
	var out []string
	for _, p := range list {
		if p == "default" {
			out = append(out, def...)
		} else {
			out = append(out, p)
		}
	}
	return out
}

// importProblem says why sym breaks the policy, or "".
func (p Policy) importProblem(sym string, deny []string) string {
	names := aliases(sym)
	if pat, ok := matchAny(deny, names); ok && !slices.Contains(p.Allow, sym) {
		if why, ok := denyWhy[pat]; ok {
			return why
		}
		return "denied by the task's policy (" + pat + ")"
	}
	if p.Allow == nil {
		return ""
	}
	if _, ok := matchAny(Implicit, names); ok {
		return ""
	}
	if _, ok := matchAny(p.Allow, names); ok {
		return ""
	}
	return "not among the symbols the task allows (" + strings.Join(p.Allow, ", ") + ")"
}

// aliases are the names sym is matched under: itself, and for a static
// call trampoline (__SCT__name, what a call through static_call() or, on
// PREEMPT_DYNAMIC kernels, cond_resched() imports) the function it calls.
func aliases(sym string) []string {
	if f, ok := strings.CutPrefix(sym, "__SCT__"); ok {
		return []string{sym, f}
	}
	return []string{sym}
}

// matchAny returns the first pattern matching one of names.
func matchAny(patterns, names []string) (string, bool) {
	for _, pat := range patterns {
		for _, n := range names {
			if ok, _ := path.Match(pat, n); ok {
				return pat, true
			}
		}
	}
	return "", false
}
