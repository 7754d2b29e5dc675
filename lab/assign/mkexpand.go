package assign

import "strings"

// Bounds on expanding a Makefile's variables: a student's Makefile can
// define A = $(B)$(B), B = $(C)$(C), ... and double its text each level.
const (
	maxExpandDepth = 16
	maxExpandBytes = 64 << 10
	maxExpandRefs  = 10000 // A = $(A)$(A)$(A)$(A) would take 4^16 steps to hit the depth bound
)

// folderVars are the variables that name the module's folder when the
// student runs make there: kbuild's $(src) and $(obj), make's $(CURDIR),
// the shell's $(PWD), and the usual M=$(PWD). They expand to ".", the
// folder every path read from a Makefile is taken from.
var folderVars = map[string]bool{"src": true, "obj": true, "CURDIR": true, "PWD": true, "M": true}

// unknownPart stands for a reference that could not be read, so that a
// word holding one ("$(TARGET).o") is dropped rather than read as ".o".
const unknownPart = "\x00"

// expand expands the variable references in s as make would, from the
// assignments read so far; ok is false when some reference could not be
// read (a function, a variable from the command line), and that part is
// unknownPart.
func (p *mkParser) expand(s string) (string, bool) {
	e := expander{p: p, ok: true}
	out := e.run(s, 0)
	return out, e.ok && len(out) <= maxExpandBytes
}

// expander is one expansion, with its running state.
type expander struct {
	p    *mkParser
	ok   bool
	n    int // bytes produced, for the bound
	refs int // references followed, for the bound
}

func (e *expander) run(s string, depth int) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if e.n+b.Len() > maxExpandBytes || e.refs > maxExpandRefs {
			e.ok = false
			return b.String() + unknownPart
		}
		c := s[i]
		if c != '$' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case '$':
			b.WriteByte('$')
		case '(', '{':
			end := closing(s, i)
			if end < 0 {
				e.ok = false
				return b.String() + unknownPart
			}
			b.WriteString(e.ref(s[i+1:end], depth))
			i = end
		default:
			e.ok = false // $@, $<, $X: automatic or one-letter variables
			b.WriteString(unknownPart)
		}
	}
	e.n += b.Len()
	return b.String()
}

// ref expands one reference's inside: a variable, or $(shell pwd).
func (e *expander) ref(name string, depth int) string {
	name = strings.TrimSpace(name)
	if e.refs++; e.refs > maxExpandRefs {
		e.ok = false
		return unknownPart
	}
	if strings.Join(strings.Fields(name), " ") == "shell pwd" || folderVars[name] {
		return "."
	}
	if strings.ContainsAny(name, " \t:,$") || depth >= maxExpandDepth {
		e.ok = false // a function, a substitution reference, or too deep
		return unknownPart
	}
	v, ok := e.p.vars[name]
	switch {
	case !ok:
		e.ok = false // from the command line or the environment
		return unknownPart
	case v.simple:
		e.ok = e.ok && !v.unknown
		return v.value
	}
	return e.run(v.value, depth+1)
}

// closing returns the index of the parenthesis or brace that closes the
// one at s[open], or -1.
func closing(s string, open int) int {
	want := byte(')')
	if s[open] == '{' {
		want = '}'
	}
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case s[open]:
			depth++
		case want:
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}
