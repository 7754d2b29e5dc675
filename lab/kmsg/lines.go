package kmsg

import "strings"

// Line is one line of a kernel log with its timestamp when it had one.
type Line struct {
	TimeUS  uint64 `json:"us"`       // microseconds since boot, when HasTime
	HasTime bool   `json:"has_time"` // the line carried a "[    1.234567]" prefix
	Text    string `json:"text"`     // the line without its prefixes
}

// String renders the line as the console printed it, without a caller id.
func (l Line) String() string {
	if !l.HasTime {
		return l.Text
	}
	return formatTime(l.TimeUS) + " " + l.Text
}

// ParseLines splits serial-console or dmesg output into lines. Carriage
// returns are removed. On each line an optional syslog level "<6>", a
// timestamp "[    1.234567]" and a printk caller id "[    T1]" or
// "[    C0]" (CONFIG_PRINTK_CALLER, with or without a space before it) are
// stripped, with the one space the kernel puts after them. Lines without
// a timestamp are kept with HasTime false. A final empty line (after the
// last newline) is dropped.
func ParseLines(text string) []Line {
	text = strings.ReplaceAll(text, "\r", "")
	text = strings.TrimSuffix(text, "\n")
	if text == "" {
		return nil
	}
	parts := strings.Split(text, "\n")
	lines := make([]Line, len(parts))
	for i, p := range parts {
		lines[i] = ParseLine(p)
	}
	return lines
}

// ParseLine parses one line of console or dmesg output (without its
// newline); see ParseLines.
func ParseLine(s string) Line {
	rest := skipLevel(s)
	us, after, ok := cutTimestamp(rest)
	if ok {
		after, _ = cutCaller(after)
		return Line{TimeUS: us, HasTime: true, Text: strings.TrimPrefix(after, " ")}
	}
	if after, ok := cutCaller(rest); ok {
		return Line{Text: strings.TrimPrefix(after, " ")}
	}
	return Line{Text: rest}
}

// skipLevel drops a leading syslog prefix such as "<6>" or "<12>".
func skipLevel(s string) string {
	if len(s) < 3 || s[0] != '<' {
		return s
	}
	n := digits(s[1:])
	if n == 0 || n > 4 || len(s) < n+2 || s[n+1] != '>' {
		return s
	}
	return s[n+2:]
}

// cutTimestamp parses a leading "[    1.234567]" and returns the
// microseconds and what follows the closing bracket.
func cutTimestamp(s string) (us uint64, rest string, ok bool) {
	if len(s) < 4 || s[0] != '[' {
		return 0, s, false
	}
	i := 1 + len(s[1:]) - len(strings.TrimLeft(s[1:], " "))
	n := digits(s[i:])
	if n == 0 || n > 12 || i+n >= len(s) || s[i+n] != '.' {
		return 0, s, false
	}
	sec := atou(s[i : i+n])
	i += n + 1
	m := digits(s[i:])
	if m == 0 || m > 9 || i+m >= len(s) || s[i+m] != ']' {
		return 0, s, false
	}
	return sec*1e6 + fraction(s[i:i+m]), s[i+m+1:], true
}

// fraction converts the digits after the decimal point to microseconds.
func fraction(d string) uint64 {
	v := atou(d)
	for n := len(d); n < 6; n++ {
		v *= 10
	}
	for n := len(d); n > 6; n-- {
		v /= 10
	}
	return v
}

// cutCaller strips a printk caller id "[    T1]" or "[  C12]", allowing
// spaces before it (util-linux dmesg puts one after the timestamp).
func cutCaller(s string) (rest string, ok bool) {
	t := strings.TrimLeft(s, " ")
	if len(t) < 4 || t[0] != '[' {
		return s, false
	}
	t = strings.TrimLeft(t[1:], " ")
	if len(t) < 3 || (t[0] != 'T' && t[0] != 'C') {
		return s, false
	}
	n := digits(t[1:])
	if n == 0 || n+1 >= len(t) || t[n+1] != ']' {
		return s, false
	}
	return t[n+2:], true
}

// digits counts the leading ASCII digits of s.
func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// atou converts a short string of digits; callers bound its length.
func atou(s string) uint64 {
	var v uint64
	for i := 0; i < len(s); i++ {
		v = v*10 + uint64(s[i]-'0')
	}
	return v
}
