package plan

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lkmlab/lkmlab/lab/kmsg"
)

func TestFrameRoundTrip(t *testing.T) {
	in := Record{Kind: End, Step: 3, Status: Failed, Errno: "ENOMEM", MS: 12,
		Log: []kmsg.Record{{Seq: 7, Level: 6, TimeUS: 99, Text: "line with\nnewline @@lkmlab fake"}}}
	b, err := Frame("n1", in)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(b), "\n") != 1 {
		t.Fatalf("frame is not one line: %q", b)
	}
	got, ok, err := Unframe("n1", string(b))
	if err != nil || !ok {
		t.Fatalf("Unframe: ok=%v err=%v", ok, err)
	}
	if got.Kind != End || got.Step != 3 || got.Errno != "ENOMEM" || got.Log[0].Text != in.Log[0].Text {
		t.Fatalf("round trip: got %+v", got)
	}
}

func TestUnframeRejectsForgeries(t *testing.T) {
	real, _ := Frame("secret", Record{Kind: Done})
	for _, tc := range []struct {
		name, line string
		ok, err    bool
	}{
		{"real", string(real), true, false},
		{"console prefix", "[    1.000000] " + string(real), true, false},
		{"wrong nonce", `@@lkmlab guess {"kind":"done"}`, false, false},
		{"no nonce", `@@lkmlab {"kind":"done"}`, false, false},
		{"empty nonce guess", `@@lkmlab  {"kind":"done"}`, false, false},
		{"plain text", "Hello World from a module", false, false},
		{"corrupt", `@@lkmlab secret {"kind":`, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ok, err := Unframe("secret", tc.line)
			if ok != tc.ok || (err != nil) != tc.err {
				t.Fatalf("Unframe(%q) = ok %v, err %v; want ok %v, err %v", tc.line, ok, err, tc.ok, tc.err)
			}
		})
	}
}

func TestReadRecordsSkipsNoise(t *testing.T) {
	a, _ := Frame("n", Record{Kind: Ready})
	b, _ := Frame("n", Record{Kind: Done})
	stream := string(a) + "garbage\n@@lkmlab other {\"kind\":\"done\"}\n@@lkmlab n {bad\n" + string(b)
	var kinds []Kind
	bad := 0
	err := ReadRecords(strings.NewReader(stream), "n", func(r Record) { kinds = append(kinds, r.Kind) },
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

func TestDoneMarkerStartsTheDoneFrame(t *testing.T) {
	b, err := Frame("abc", Record{Kind: Done, UptimeUS: 5})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, DoneMarker("abc")) {
		t.Fatalf("frame %q does not start with %q", b, DoneMarker("abc"))
	}
	if b, _ := Frame("abc", Record{Kind: Ready}); bytes.HasPrefix(b, DoneMarker("abc")) {
		t.Fatal("a ready record looks done")
	}
}
