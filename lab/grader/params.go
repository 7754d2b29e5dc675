package grader

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lkmlab/lkmlab/lab/assign"
	"github.com/lkmlab/lkmlab/lab/ko"
)

// resolveParams finds, for each parameter role the task needs, the name
// the module declares for it: the first accepted name it declares
// (ignoring case), else, where the task allows, a parameter of an
// accepted type no other role took (see byType).
func resolveParams(want []assign.Param, have []ko.Param) (map[string]string, error) {
	names := map[string]string{}
	taken := map[string]bool{}
	for _, p := range want {
		if n, ok := byName(p, have); ok {
			names[p.Role], taken[n] = n, true
		}
	}
	// By type, as long as some role finds one parameter left: an
	// address that only an unsigned long fits frees the int for the pid.
	for progress := true; progress; {
		progress = false
		for _, p := range want {
			if _, ok := names[p.Role]; ok || !p.ByType {
				continue
			}
			if n, ok := byType(p, have, taken); ok {
				names[p.Role], taken[n], progress = n, true, true
			}
		}
	}
	for _, p := range want {
		if _, ok := names[p.Role]; !ok {
			return nil, fmt.Errorf("module has no parameter for the %s (accepted names: %s; it declares: %s)",
				p.Role, strings.Join(p.Names, ", "), declared(have))
		}
	}
	return names, nil
}

// byType picks p's parameter among those of a fitting type that no role
// took and that are not flags (debug, verbose, ...): the one there is,
// or, among several, the one whose name or MODULE_PARM_DESC mentions
// p's hints (a "target" described as "pid of the process").
func byType(p assign.Param, have []ko.Param, taken map[string]bool) (string, bool) {
	var fits, hinted []string
	for _, h := range have {
		if taken[h.Name] || !typeFits(p, h.Type) {
			continue
		}
		mentions := mentionsHint(p, h)
		if flagLike(h.Name) && !mentions {
			continue
		}
		fits = append(fits, h.Name)
		if mentions {
			hinted = append(hinted, h.Name)
		}
	}
	switch {
	case len(fits) == 1:
		return fits[0], true
	case len(hinted) == 1:
		return hinted[0], true
	}
	return "", false
}

// mentionsHint reports whether a parameter's name contains one of p's
// hints, or a word of its description starts with one ("processes" for
// "process"; "rapid" is no "pid").
func mentionsHint(p assign.Param, h ko.Param) bool {
	name := strings.ToLower(h.Name)
	words := strings.FieldsFunc(strings.ToLower(h.Desc), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	for _, hint := range p.HintWords() {
		if strings.Contains(name, hint) || slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, hint) }) {
			return true
		}
	}
	return false
}

// flagWords name parameters that tune how a module runs rather than what
// it works on: an int debug flag beside the pid must never be taken for
// the pid because its type fits.
var flagWords = map[string]bool{"debug": true, "dbg": true, "verbose": true, "verbosity": true, "quiet": true,
	"log": true, "loglevel": true, "level": true, "count": true, "times": true, "repeat": true, "delay": true,
	"interval": true, "enable": true, "enabled": true, "flag": true, "flags": true, "mode": true, "trace": true,
	"dump": true, "show": true, "print": true, "all": true, "max": true, "limit": true, "timeout": true}

// flagLike reports whether a parameter's name is a flag's: one of its
// words (split at "_") is a flag word ("debug", "log_level", "show_all").
func flagLike(name string) bool {
	return slices.ContainsFunc(strings.Split(strings.ToLower(name), "_"), func(w string) bool { return flagWords[w] })
}

func byName(p assign.Param, have []ko.Param) (string, bool) {
	for _, n := range p.Names {
		for _, h := range have {
			if strings.EqualFold(h.Name, n) && typeFits(p, h.Type) {
				return h.Name, true
			}
		}
	}
	return "", false
}

func typeFits(p assign.Param, typ string) bool {
	return len(p.Types) == 0 || slices.Contains(p.Types, typ)
}

// Bounds on what declared quotes of a module's parameters: their names
// are the student's, and a hostile one can be megabytes long.
const (
	maxDeclared     = 10
	maxDeclaredName = 64
)

// declared lists a module's parameters with their types, for a reason.
func declared(have []ko.Param) string {
	if len(have) == 0 {
		return "none"
	}
	var s []string
	for i, h := range have {
		if i == maxDeclared {
			s = append(s, fmt.Sprintf("%d more", len(have)-i))
			break
		}
		s = append(s, cut(h.Name, maxDeclaredName)+" ("+cut(h.Type, maxDeclaredName)+")")
	}
	return strings.Join(s, ", ")
}

// cut shortens s to about n bytes, marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "..."
}
