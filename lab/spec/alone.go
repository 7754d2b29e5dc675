package spec

import "strings"

// alone(x [, unit]) is printed(x) on a line that is not a list of
// candidates. A module can print every value it can find (every process's
// heap, every task's stack, four counters that might be the resident
// size) on a few lines: printed() then finds the right one among them, and
// lines() counts lines, not values. The line that shows x may show other
// numbers, but at most maxCompanions other values written the way x is
// (the same notation and unit): a line of the seed's format holds a pid
// beside a size in bytes, or the resident size beside the virtual one,
// never a column of them.

// maxCompanions is how many other values of x's notation and unit the line
// showing x may hold: the seed's lines hold one (a pid beside a size, two
// sizes), and a student's own may add a third number of the same kind; a
// line of candidates holds more (the hostile2 corpus's sprays hold four or
// more).
const maxCompanions = 2

func evalAlone(e *env, c *call) bool { return onSomeLine(e, c, aloneOn) }

// aloneOn reports whether line shows x, as printed() reads it, next to at
// most maxCompanions other values written the same way.
func aloneOn(line string, x scalar, unit string) bool {
	if x.num == nil && x.raw {
		x = readScalar(x.text, true) // a hex fact written without hex(), as printed() reads it
	}
	if x.num == nil {
		return printedOn(line, x, unit) // a word (a comm): a number has no say on it
	}
	toks := numberTokens(line)
	for _, t := range toks {
		if t.shows(x, unit) && len(companions(toks, t.form(), x, unit)) <= maxCompanions {
			return true
		}
	}
	return false
}

// companions are the distinct values of form f on the line that do not
// show x.
func companions(toks []numTok, f tokForm, x scalar, unit string) map[string]bool {
	out := map[string]bool{}
	for _, u := range toks {
		if u.form() == f && !u.shows(x, unit) {
			out[strings.ToLower(u.body)] = true
		}
	}
	return out
}

// tokForm is how a number is written: its notation and the size unit
// after it (0 when none).
type tokForm struct {
	notation string // "dec", "frac", "0x" or "hex" (letters and digits, no 0x)
	scale    int64
}

// form says how t is written; the notation is "" for a word that is no
// number.
func (t numTok) form() tokForm {
	f := tokForm{scale: sizeUnits[t.unit]}
	_, _, isDec := t.decimal()
	switch {
	case isDec:
		f.notation = "dec"
		if strings.Contains(t.body, ".") {
			f.notation = "frac"
		}
	case isHex0x(t.run):
		f.notation = "0x"
	case isHexWord(t.run):
		f.notation = "hex"
	}
	return f
}

func isHex0x(s string) bool {
	h, ok := cutHexPrefix(s)
	return ok && isHexDigits(h)
}

// isHexWord reports whether s is hex with at least one digit and one
// letter: an address written without 0x, not a word such as "add".
func isHexWord(s string) bool {
	return isHexDigits(s) && strings.ContainsAny(s, "0123456789") && strings.ContainsAny(strings.ToLower(s), "abcdef")
}

func isHexDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; !isDigit(s[i]) && (c < 'a' || c > 'f') {
			return false
		}
	}
	return s != ""
}
