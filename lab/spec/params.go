package spec

import (
	"regexp"
	"strings"
)

// Param is one module parameter of a step: Name is the role the spec
// gives it (pid, addr), or the literal parameter name of the string form;
// Value may hold {w.fact} placeholders, which the guest fills in.
type Param struct {
	Name, Value string
}

var (
	paramName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)
	braces    = regexp.MustCompile(`\{([^{}]*)\}`)
	factName  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$`)
)

// ParamList gives the step's parameters in order, from either form of
// params.
func (st Step) ParamList() []Param {
	if st.params != nil {
		return append([]Param(nil), st.params...)
	}
	return splitParams(st.Params)
}

// splitParams reads "pid=1 name=\"a b\" flag" as the kernel does: blanks
// separate parameters except inside double quotes, which are dropped.
func splitParams(s string) []Param {
	var out []Param
	var cur strings.Builder
	quoted, some := false, false
	flush := func() {
		if some {
			name, value, _ := strings.Cut(cur.String(), "=")
			out = append(out, Param{Name: name, Value: value})
		}
		cur.Reset()
		some = false
	}
	for _, r := range s {
		switch {
		case r == '"':
			quoted, some = !quoted, true
		case isBlank(r) && !quoted:
			flush()
		default:
			cur.WriteRune(r)
			some = true
		}
	}
	flush()
	return out
}

// FormatParams writes parameters as insmod takes them, quoting values
// with blanks; a parameter with no value is a bare name (a bool set to
// true). It is how a mapping's params become the Params string.
func FormatParams(ps []Param) string {
	var parts []string
	for _, p := range ps {
		switch {
		case p.Value == "":
			parts = append(parts, p.Name)
		case strings.ContainsAny(p.Value, " \t"):
			parts = append(parts, p.Name+`="`+p.Value+`"`)
		default:
			parts = append(parts, p.Name+"="+p.Value)
		}
	}
	return strings.Join(parts, " ")
}
