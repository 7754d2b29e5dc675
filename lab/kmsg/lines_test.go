package kmsg

import (
	"reflect"
	"testing"
)

func TestParseLine(t *testing.T) {
	tests := []struct {
		in   string
		want Line
	}{
		{"[    1.234567] hello: world", Line{1234567, true, "hello: world"}},
		{"[    1.809930]  do_one_initcall+0x59/0x220", Line{1809930, true, " do_one_initcall+0x59/0x220"}},
		{"<6>[    1.234567] with level", Line{1234567, true, "with level"}},
		{"[    1.234567][    T1] caller id", Line{1234567, true, "caller id"}},
		{"<4>[    2.711316][   T89] WARNING: x", Line{2711316, true, "WARNING: x"}},
		{"[    0.000000][    C0] cpu caller", Line{0, true, "cpu caller"}},
		{"[    1.234567] [      T1] util-linux caller", Line{1234567, true, "util-linux caller"}},
		{"[    1.234567][T123456] wide caller", Line{1234567, true, "wide caller"}},
		{"[    T1] caller without time", Line{0, false, "caller without time"}},
		{"[123456.654321] late", Line{123456654321, true, "late"}},
		{"[    2.5] short fraction", Line{2500000, true, "short fraction"}},
		{"[    2.123456789] nanoseconds", Line{2123456, true, "nanoseconds"}},
		{"[    1.000000]", Line{1000000, true, ""}},
		{"[    1.000000] ", Line{1000000, true, ""}},
		{"[    1.234567] [<ffffffffc02a6011>] f+0x11/0x1000 [m]", Line{1234567, true, "[<ffffffffc02a6011>] f+0x11/0x1000 [m]"}},
		{"init: loading [hello.ko]", Line{0, false, "init: loading [hello.ko]"}},
		{"[not a time] x", Line{0, false, "[not a time] x"}},
		{"[    1.2x] x", Line{0, false, "[    1.2x] x"}},
		{"<abc> x", Line{0, false, "<abc> x"}},
		{"<6>no time", Line{0, false, "no time"}},
		{"", Line{}},
	}
	for _, tc := range tests {
		if got := ParseLine(tc.in); got != tc.want {
			t.Errorf("ParseLine(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestParseLines(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Line
	}{
		{"empty", "", nil},
		{"crlf", "[    1.000000] a\r\n[    2.000000] b\r\n", []Line{{1000000, true, "a"}, {2000000, true, "b"}}},
		{"double cr", "x\r\r\ny", []Line{{Text: "x"}, {Text: "y"}}},
		{"blank line kept", "a\n\nb\n", []Line{{Text: "a"}, {Text: ""}, {Text: "b"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ParseLines(tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestLineString(t *testing.T) {
	if got := (Line{TimeUS: 12345678, HasTime: true, Text: "x"}).String(); got != "[   12.345678] x" {
		t.Errorf("got %q", got)
	}
	if got := (Line{Text: "plain"}).String(); got != "plain" {
		t.Errorf("got %q", got)
	}
}
