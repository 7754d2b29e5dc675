package kmsg

import (
	"errors"
	"reflect"
	"testing"
)

func TestParseRecord(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Record
	}{
		{"plain", "6,365,1910619,-;hello: world\n",
			Record{Seq: 365, Level: 6, TimeUS: 1910619, Text: "hello: world"}},
		{"escapes", "6,370,2164433,-;escmod: tab\\x09here, backslash \\x5c and byte \\x01 and utf8 \\xc3\\xa9\n",
			Record{Seq: 370, Level: 6, TimeUS: 2164433, Text: "escmod: tab\there, backslash \\ and byte \x01 and utf8 é"}},
		{"dictionary", "6,182,647616,-;acpi PNP0A03:00: _OSC: OS supports [ASPM]\n SUBSYSTEM=acpi\n DEVICE=+acpi:PNP0A03:00\n",
			Record{Seq: 182, Level: 6, TimeUS: 647616, Text: "acpi PNP0A03:00: _OSC: OS supports [ASPM]"}},
		{"facility and caller", "14,900,12000000,-,caller=T93;harness: step 1\n",
			Record{Seq: 900, Level: 6, Facility: 1, TimeUS: 12000000, Text: "harness: step 1"}},
		{"continuation flag", "4,12,345,c;partial line",
			Record{Seq: 12, Level: 4, TimeUS: 345, Cont: true, Text: "partial line"}},
		{"embedded newline", "6,1,2,-;first\\x0asecond\n",
			Record{Seq: 1, Level: 6, TimeUS: 2, Text: "first\nsecond"}},
		{"bad escapes kept", "6,1,2,-;a\\xZZ b\\x4 c\\",
			Record{Seq: 1, Level: 6, TimeUS: 2, Text: "a\\xZZ b\\x4 c\\"}},
		{"empty message", "0,7,8,-;\n", Record{Seq: 7, TimeUS: 8}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseRecord([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestParseRecordErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"no header at all\n",
		"6,1;too few fields\n",
		"x,1,2,-;bad priority\n",
		"6,-1,2,-;bad sequence\n",
		"6,1,2.5,-;bad timestamp\n",
		"6,1,2,-\n KEY=a;b\n",
	} {
		_, err := ParseRecord([]byte(in))
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseRecord(%q) error %v, want ErrMalformed", in, err)
		}
	}
}

func TestRecordString(t *testing.T) {
	tests := []struct {
		r    Record
		want string
	}{
		{Record{TimeUS: 12345678, Text: "text"}, "[   12.345678] text"},
		{Record{TimeUS: 0, Text: "Linux version 6.1.0"}, "[    0.000000] Linux version 6.1.0"},
		{Record{TimeUS: 123456000001, Text: "late"}, "[123456.000001] late"},
	}
	for _, tc := range tests {
		if got := tc.r.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}

func TestRecordLines(t *testing.T) {
	recs := []Record{
		{TimeUS: 1, Text: "one"},
		{TimeUS: 2, Text: "two\nthree"},
	}
	want := []Line{
		{TimeUS: 1, HasTime: true, Text: "one"},
		{TimeUS: 2, HasTime: true, Text: "two"},
		{TimeUS: 2, HasTime: true, Text: "three"},
	}
	if got := RecordLines(recs); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func FuzzParseRecord(f *testing.F) {
	for _, s := range []string{
		"6,365,1910619,-;hello: world\n",
		"6,182,647616,-;acpi: x\n SUBSYSTEM=acpi\n DEVICE=+acpi:PNP0A03:00\n",
		"14,900,12000000,c,caller=T93;a\\x09b\\x5c\n",
		"4,1,2,-;\\x",
		";",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseRecord(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if r.Level < 0 || r.Level > 7 || r.Facility < 0 {
			t.Errorf("level %d facility %d out of range", r.Level, r.Facility)
		}
		if len(r.Text) > len(b) {
			t.Errorf("text longer than the record")
		}
		_ = r.String()
	})
}
