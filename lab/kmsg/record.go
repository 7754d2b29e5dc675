package kmsg

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrMalformed is wrapped by the errors ParseRecord returns for input that
// is not a /dev/kmsg record.
var ErrMalformed = errors.New("malformed kmsg record")

// Record is one kernel log record.
type Record struct {
	Seq      uint64 `json:"seq"`
	Level    int    `json:"level"`              // 0 (emerg) .. 7 (debug): priority & 7
	Facility int    `json:"facility,omitempty"` // priority >> 3
	TimeUS   uint64 `json:"us"`                 // microseconds since boot
	Cont     bool   `json:"cont,omitempty"`     // flags field contains 'c'
	Text     string `json:"text"`               // message, with /dev/kmsg escapes (\xNN) decoded
}

// ParseRecord parses what one read() from /dev/kmsg returns:
// "pri,seq,ts,flags[,more];message\n", optionally followed by dictionary
// lines " KEY=value\n", which are ignored. Fields after flags (such as
// "caller=T1") are ignored too. Escapes "\xNN" in the message are decoded.
func ParseRecord(b []byte) (Record, error) {
	semi := bytes.IndexByte(b, ';')
	if semi < 0 {
		return Record{}, fmt.Errorf("parse kmsg record: no ';' after the header: %w", ErrMalformed)
	}
	r, err := parseHeader(string(b[:semi]))
	if err != nil {
		return Record{}, fmt.Errorf("parse kmsg record header: %w", err)
	}
	msg := b[semi+1:]
	if nl := bytes.IndexByte(msg, '\n'); nl >= 0 {
		msg = msg[:nl]
	}
	r.Text = decodeEscapes(msg)
	return r, nil
}

// parseHeader parses "pri,seq,ts,flags[,more]".
func parseHeader(h string) (Record, error) {
	if strings.IndexByte(h, '\n') >= 0 {
		return Record{}, fmt.Errorf("newline in header: %w", ErrMalformed)
	}
	f := strings.Split(h, ",")
	if len(f) < 4 {
		return Record{}, fmt.Errorf("%d fields, want at least 4: %w", len(f), ErrMalformed)
	}
	pri, err := strconv.ParseUint(f[0], 10, 32)
	if err != nil {
		return Record{}, fmt.Errorf("priority %q: %w", f[0], errors.Join(ErrMalformed, err))
	}
	seq, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		return Record{}, fmt.Errorf("sequence %q: %w", f[1], errors.Join(ErrMalformed, err))
	}
	us, err := strconv.ParseUint(f[2], 10, 64)
	if err != nil {
		return Record{}, fmt.Errorf("timestamp %q: %w", f[2], errors.Join(ErrMalformed, err))
	}
	return Record{
		Seq:      seq,
		Level:    int(pri & 7),
		Facility: int(pri >> 3),
		TimeUS:   us,
		Cont:     strings.IndexByte(f[3], 'c') >= 0,
	}, nil
}

// decodeEscapes replaces each "\xNN" with the byte it stands for. A
// backslash that does not start a valid escape is kept as it is.
func decodeEscapes(b []byte) string {
	if bytes.IndexByte(b, '\\') < 0 {
		return string(b)
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+3 < len(b) && b[i+1] == 'x' {
			hi, ok1 := unhex(b[i+2])
			lo, ok2 := unhex(b[i+3])
			if ok1 && ok2 {
				out = append(out, hi<<4|lo)
				i += 3
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}

// unhex returns the value of one hexadecimal digit.
func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// String renders the record like dmesg does: "[   12.345678] text".
func (r Record) String() string {
	return formatTime(r.TimeUS) + " " + r.Text
}

// formatTime renders microseconds since boot as the kernel's "[%5lu.%06lu]".
func formatTime(us uint64) string {
	return fmt.Sprintf("[%5d.%06d]", us/1e6, us%1e6)
}

// RecordLines turns records into lines for Scan. A record whose text holds
// newlines (a multi-line printk) gives one line per text line, all with the
// record's timestamp.
func RecordLines(recs []Record) []Line {
	lines := make([]Line, 0, len(recs))
	for _, r := range recs {
		for _, t := range strings.Split(strings.TrimSuffix(r.Text, "\n"), "\n") {
			lines = append(lines, Line{TimeUS: r.TimeUS, HasTime: true, Text: t})
		}
	}
	return lines
}

// FormatTime formats a log time stamp as the console shows it: "12.345678".
func FormatTime(us uint64) string { return strings.Trim(formatTime(us), "[ ]") }
