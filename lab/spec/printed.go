package spec

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// printed(x [, unit]) looks for a value on the step's lines whatever the
// wording around it, so truth can be earned when the format is off. A
// number must stand as a whole token; sizes may be written in another
// unit, within the rounding of the division that made them.

// Units printed() takes as its second argument.
var printedUnits = []string{"bytes", "kib", "hex", "dec"}

// sizeUnits maps a unit written after a number (case ignored) to bytes.
var sizeUnits = map[string]int64{
	"b": 1, "byte": 1, "bytes": 1,
	"k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
	"m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
	"g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30,
	"t": 1 << 40, "tb": 1 << 40, "tib": 1 << 40,
	"page": 4096, "pages": 4096, "pg": 4096, // the x86-64 and arm64 (4K) page size
}

func checkPrinted(c *call) error {
	if len(c.args) < 2 {
		return nil
	}
	s, ok := c.args[1].(strLit)
	if !ok || !slices.Contains(printedUnits, s.s) {
		return fmt.Errorf("%s(x, unit): unit %s is not one of %q", c.f.name, describe(c.args[1]), printedUnits)
	}
	return nil
}

func evalPrinted(e *env, c *call) bool { return onSomeLine(e, c, printedOn) }

// onSomeLine reports whether some line shows some element of some
// alternative of the call's first argument, as shows decides, in the unit
// the call's second argument names.
func onSomeLine(e *env, c *call, shows func(line string, x scalar, unit string) bool) bool {
	unit := ""
	if len(c.args) == 2 {
		unit = c.args[1].(strLit).s
	}
	for _, x := range e.val(c.args[0]) {
		for _, el := range x.elements(x.hex) {
			if slices.ContainsFunc(e.lines, func(l string) bool { return shows(l, el, unit) }) {
				return true
			}
		}
	}
	return false
}

// printedOn reports whether line shows x in the way unit allows.
func printedOn(line string, x scalar, unit string) bool {
	if x.num == nil && x.raw {
		// Text that is not decimal may be a hex fact written without
		// hex(): look for it as a word, and as the number it spells.
		if unit == "" && hasWord(line, x.text) {
			return true
		}
		if x = readScalar(x.text, true); x.num == nil {
			return false
		}
	}
	if x.num == nil {
		return unit == "" && hasWord(line, x.text)
	}
	for _, t := range numberTokens(line) {
		if t.shows(x, unit) {
			return true
		}
	}
	return false
}

// hasWord reports whether text occurs in line with no letter, digit or _
// next to it.
func hasWord(line, text string) bool {
	line, text = squeeze(line), squeeze(text)
	if text == "" {
		return false
	}
	for i := 0; ; {
		j := strings.Index(line[i:], text)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(text)
		if (start == 0 || !isWord(line[start-1])) && (end == len(line) || !isWord(line[end])) {
			return true
		}
		i = start + 1
	}
}

// numTok is a run of letters and digits on a line, with a decimal
// fraction if it has one, and the unit written after it.
type numTok struct {
	run  string // the whole run, for hex
	body string // the number part, for decimal
	unit string // attached ("149800KB") or the next word ("149800 KB"), lower case
}

func numberTokens(line string) []numTok {
	var out []numTok
	for i := 0; i < len(line); {
		if !isWord(line[i]) {
			i++
			continue
		}
		j := i
		for j < len(line) && isWord(line[j]) {
			j++
		}
		if j+1 < len(line) && line[j] == '.' && isDigit(line[j+1]) && allDigits(line[i:j]) {
			for j++; j < len(line) && isWord(line[j]); j++ {
			}
		}
		t := numTok{run: line[i:j], body: line[i:j]}
		k := strings.IndexFunc(t.body, func(r rune) bool { return r != '.' && (r < '0' || r > '9') })
		if _, unit := sizeUnits[strings.ToLower(t.body[max(k, 0):])]; k > 0 && unit {
			t.body, t.unit = t.body[:k], strings.ToLower(t.body[k:])
		} else {
			t.unit = strings.ToLower(nextWord(line[j:]))
		}
		out = append(out, t)
		i = j
	}
	return out
}

// nextWord is the word of letters after blanks at the start of s, if a
// word ends there.
func nextWord(s string) string {
	s = strings.TrimLeft(s, " \t")
	k := 0
	for k < len(s) && isWord(s[k]) {
		k++
	}
	if !isLetters(s[:k]) {
		return ""
	}
	return s[:k]
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// shows reports whether the token writes x as unit allows.
func (t numTok) shows(x scalar, unit string) bool {
	dec, prec, isDec := t.decimal()
	hex, isHex0x := t.hex0x()
	switch unit {
	case "dec":
		return isDec && prec == 0 && dec.Cmp(new(big.Rat).SetInt(x.num)) == 0
	case "hex":
		return t.anyHex(x.num)
	case "bytes", "kib":
		if !isHex0x && !isDec {
			hex, isHex0x = t.bareHex()
		}
		return t.size(x.num, unit, dec, prec, isDec, hex, isHex0x)
	}
	if isDec && dec.Cmp(new(big.Rat).SetInt(x.num)) == 0 || isHex0x && hex.Cmp(x.num) == 0 {
		return true
	}
	return x.hex && t.anyHex(x.num)
}

// decimal reads "153395200" or "146.29"; prec is the number of decimals.
func (t numTok) decimal() (*big.Rat, int, bool) {
	whole, frac, _ := strings.Cut(t.body, ".")
	if !allDigits(whole) || frac != "" && !allDigits(frac) {
		return nil, 0, false
	}
	r, ok := new(big.Rat).SetString(t.body)
	return r, len(frac), ok
}

func (t numTok) hex0x() (*big.Int, bool) {
	s, ok := cutHexPrefix(t.run)
	if !ok {
		return nil, false
	}
	return new(big.Int).SetString(s, 16)
}

// bareHex reads a token that can only be hexadecimal, written without 0x
// ("3dbb2e6" from %lx): hex digits with at least one letter among them
// and one digit. One of digits alone reads as decimal.
func (t numTok) bareHex() (*big.Int, bool) {
	s := strings.ToLower(t.run)
	if !strings.ContainsAny(s, "abcdef") || !strings.ContainsAny(s, "0123456789") ||
		strings.Trim(s, "0123456789abcdef") != "" {
		return nil, false
	}
	return new(big.Int).SetString(s, 16)
}

// anyHex reads the token as hex with or without 0x.
func (t numTok) anyHex(x *big.Int) bool {
	s, _ := cutHexPrefix(t.run)
	n, ok := new(big.Int).SetString(s, 16)
	return ok && !strings.ContainsAny(s, "+-_") && n.Cmp(x) == 0
}

// size reports whether the token writes x (bytes, or KiB) in any size
// unit. Printed v in a unit of s bytes with d decimals stands for x when
// |x - v*s| < s/10^d: a division that rounded up, down or to nearest. A
// value in KiB is itself rounded, so bytes within 1023 of it count too.
// An inexact size needs two significant digits (146 MiB or 0.14 GiB, not
// 1 GiB for 146 MiB): a precision coarser than a tenth of x says nothing.
func (t numTok) size(x *big.Int, unit string, dec *big.Rat, prec int, isDec bool, hex *big.Int, isHex bool) bool {
	base := big.NewRat(1, 1)
	if unit == "kib" {
		base = big.NewRat(1<<10, 1)
	}
	v := dec
	switch {
	case isHex:
		v, prec = new(big.Rat).SetInt(hex), 0
	case !isDec:
		return false
	}
	want := new(big.Rat).Mul(new(big.Rat).SetInt(x), base)
	scales := []*big.Rat{base}
	if s, ok := sizeUnits[t.unit]; ok {
		scales = []*big.Rat{big.NewRat(s, 1)}
	} else if base.Cmp(big.NewRat(1, 1)) != 0 {
		scales = append(scales, big.NewRat(1, 1)) // a bare number is in the value's unit, or bytes
	}
	for _, s := range scales {
		step := new(big.Rat).Quo(s, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(prec)), nil)))
		d := new(big.Rat).Sub(want, new(big.Rat).Mul(v, s))
		d.Abs(d)
		coarse := step.Cmp(base) > 0 && new(big.Rat).Mul(step, big.NewRat(10, 1)).Cmp(want) > 0
		switch {
		case d.Sign() == 0:
			return true
		case coarse:
			continue
		case d.Cmp(step) < 0 || d.Cmp(base) < 0:
			return true
		}
	}
	return false
}
