package plan

import (
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/kmsg"
)

const n1, n2 = "0123456789abcdef01234567", "fedcba9876543210fedcba98"

func TestFrameRoundTrip(t *testing.T) {
	in := Record{Kind: End, Step: 3, Status: Failed, Errno: "ENOMEM", MS: 12,
		Log: []kmsg.Record{{Seq: 7, Level: 6, TimeUS: 99, Text: "line with\nnewline @@lkmlab " + n1 + " {fake"}}}
	b, err := Frame(n1, in)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(b), "\n") != 2 || b[0] != '\n' {
		t.Fatalf("frame is not a newline and one line: %q", b)
	}
	got, ok, err := Unframe(n1, string(b[1:]))
	if err != nil || !ok {
		t.Fatalf("Unframe: ok=%v err=%v", ok, err)
	}
	if got.Kind != End || got.Step != 3 || got.Errno != "ENOMEM" || got.Log[0].Text != in.Log[0].Text {
		t.Fatalf("round trip: got %+v", got)
	}
}

func TestUnframeRejectsForgeries(t *testing.T) {
	real, _ := Frame(n1, Record{Kind: Done})
	line := strings.TrimPrefix(string(real), "\n")
	for _, tc := range []struct {
		name, line string
		ok, err    bool
	}{
		{"real", line, true, false},
		{"console prefix", "[    1.000000] " + line, true, false},
		{"glued to a partial marker", "@@lkmlab " + line, true, false},
		{"glued to a partial frame", "@@lkmlab " + n2 + " {\"ki" + line, true, false},
		{"wrong nonce", `@@lkmlab ` + n2 + ` {"kind":"done"}`, false, false},
		{"no nonce", `@@lkmlab {"kind":"done"}`, false, false},
		{"empty nonce guess", `@@lkmlab  {"kind":"done"}`, false, false},
		{"plain text", "Hello World from a module", false, false},
		{"corrupt", `@@lkmlab ` + n1 + ` {"kind":`, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ok, err := Unframe(n1, tc.line)
			if ok != tc.ok || (err != nil) != tc.err {
				t.Fatalf("Unframe(%q) = ok %v, err %v; want ok %v, err %v", tc.line, ok, err, tc.ok, tc.err)
			}
		})
	}
}

func TestParseLineReportsJunk(t *testing.T) {
	rec, _ := Frame(n2, Record{Kind: Begin, Step: 4})
	f, ok := ParseLine("@@lkmlab deadbeef00 " + strings.TrimSpace(string(rec)))
	if !ok || f.Nonce != n2 || f.Record.Step != 4 || f.Junk != "@@lkmlab deadbeef00 " {
		t.Fatalf("ParseLine = %+v, %v", f, ok)
	}
	if f, ok := ParseLine("@@lkmlab "); ok || f.Junk != "@@lkmlab " {
		t.Fatalf("a bare marker: %+v, %v", f, ok)
	}
}

func TestReadRecordsSkipsNoise(t *testing.T) {
	a, _ := Frame(n1, Record{Kind: Ready})
	b, _ := Frame(n1, Record{Kind: Done})
	stream := string(a) + "garbage\n@@lkmlab " + n2 + " {\"kind\":\"done\"}\n@@lkmlab " + n1 + " {bad\n" + string(b)
	var kinds []Kind
	bad := 0
	err := ReadRecords(strings.NewReader(stream), n1, func(r Record) { kinds = append(kinds, r.Kind) },
		func(string, error) { bad++ })
	if err != nil {
		t.Fatal(err)
	}
	if len(kinds) != 2 || kinds[0] != Ready || kinds[1] != Done || bad != 1 {
		t.Fatalf("got kinds %v, %d bad; want [ready done], 1 bad", kinds, bad)
	}
}

func TestNonceIsRandom(t *testing.T) {
	a, b := NewNonce(), NewNonce()
	if a == b || len(a) != 24 {
		t.Fatalf("nonces %q %q", a, b)
	}
}

func TestCommandRoundTrip(t *testing.T) {
	c := Command{Op: OpStep, Step: 2, Nonce: n1, Args: map[string]map[string]string{"h": {"bytes": "4096"}}}
	b, err := c.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadCommand(newReader(string(b) + "{\"op\":\"finish\",\"nonce\":\"" + n2 + "\"}\n"))
	if err != nil || got.Op != OpStep || got.Step != 2 || got.Args["h"]["bytes"] != "4096" {
		t.Fatalf("ReadCommand = %+v, %v", got, err)
	}
}
